/**
 * `npm run migrate`: applies the event log's migrations to `DATABASE_URL` (the same ones a
 * store applies when it opens), so an operator can migrate before starting new instances.
 *
 *     DATABASE_URL=postgres://bot:…@db/bot npm run migrate [-- --schema eventlog]
 *
 * Prints the URL with its password replaced by `***`; never the password.
 *
 * @module
 */
import pg from 'pg';
import { migrate, MIGRATIONS } from './migrations.ts';
import { redactUrl, SCHEMA_NAME } from './sql.ts';

/** Runs the CLI; returns the exit code. `env` is read here only for `DATABASE_URL`. */
export async function runMigrate(argv: readonly string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const url = env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    out('DATABASE_URL must be set to a postgres:// URL (e.g. postgres://bot:secret@localhost:5432/bot)');
    return 2;
  }
  const at = argv.indexOf('--schema');
  const schema = at >= 0 ? argv[at + 1] : 'eventlog';
  if (!schema || !SCHEMA_NAME.test(schema)) {
    out(`--schema must match ${SCHEMA_NAME}`);
    return 2;
  }
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  try {
    const applied = await migrate(pool, schema);
    const latest = MIGRATIONS.at(-1)!.version;
    out(
      applied.length > 0
        ? `${redactUrl(url)} schema ${schema}: applied migration${applied.length > 1 ? 's' : ''} ${applied.join(', ')} (now at version ${latest})`
        : `${redactUrl(url)} schema ${schema}: up to date (version ${latest})`,
    );
    return 0;
  } catch (err) {
    // The driver's message names the problem (refused, auth failed, no such database), not the password.
    out(`migrating ${redactUrl(url)} failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await pool.end().catch(() => {});
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runMigrate(process.argv.slice(2), process.env, (line) => console.log(line));
}
