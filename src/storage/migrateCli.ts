/**
 * `npm run migrate`: applies every PostgreSQL migration to `DATABASE_URL` – the event log's
 * (with the vault's tables) and the music module's (`file_id` cache, choices), the same ones each
 * applies when it opens – and installs the download queue's pg-boss schema
 * (`<schema>_queue`), so an operator can migrate before starting new instances.
 *
 *     DATABASE_URL=postgres://bot:…@db/bot npm run migrate [-- --schema eventlog --music-schema music]
 *
 * Prints the URL with its password replaced by `***`; never the password.
 *
 * @module
 */
import pg from 'pg';
import { migrate, MIGRATIONS, redactUrl, SCHEMA_NAME, type Migration } from '../../eventlog/postgres/index.ts';
import { z } from 'zod';
import { MUSIC_MIGRATIONS, MUSIC_SCHEMA } from '../music/cache/pgAudioCache.ts';
import { PgQueue } from '../queue/pgQueue.ts';

function option(argv: readonly string[], name: string, fallback: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : fallback;
}

/** Runs the CLI; returns the exit code. `env` is read here only for `DATABASE_URL`. */
export async function runMigrate(argv: readonly string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const url = env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    out('DATABASE_URL must be set to a postgres:// URL (e.g. postgres://bot:secret@localhost:5432/bot)');
    return 2;
  }
  const parts: { what: string; schema: string | undefined; migrations: readonly Migration[] }[] = [
    { what: 'event log', schema: option(argv, '--schema', 'eventlog'), migrations: MIGRATIONS },
    { what: 'music cache', schema: option(argv, '--music-schema', MUSIC_SCHEMA), migrations: MUSIC_MIGRATIONS },
  ];
  const queueSchema = `${parts[0]!.schema}_queue`;
  for (const p of parts) {
    if (!p.schema || !SCHEMA_NAME.test(p.schema)) {
      out(`schema names must match ${SCHEMA_NAME}`);
      return 2;
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  try {
    for (const { what, schema, migrations } of parts) {
      const applied = await migrate(pool, schema!, migrations);
      const latest = migrations.at(-1)!.version;
      out(
        applied.length > 0
          ? `${redactUrl(url)} ${what} (schema ${schema}): applied migration${applied.length > 1 ? 's' : ''} ${applied.join(', ')} (now at version ${latest})`
          : `${redactUrl(url)} ${what} (schema ${schema}): up to date (version ${latest})`,
      );
    }
    // pg-boss installs or upgrades its own schema when it starts; opening the queue once does that
    // (payloads are the app's business: nothing is submitted here).
    const queue = await PgQueue.open({ connectionString: url, schema: queueSchema, name: 'downloads', payload: z.object({}), progress: z.never() });
    await queue.close({ graceMs: 0 });
    out(`${redactUrl(url)} download queue (schema ${queueSchema}): ready`);
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
