/**
 * Versioned migrations of the PostgreSQL event log, applied when a store opens and by
 * `npm run migrate`. Each is applied once, in its own transaction, and recorded in
 * `<schema>.schema_migrations`; a session advisory lock makes concurrent openers (several
 * instances starting at once) take turns, so each migration runs exactly once.
 *
 * Never edit a migration that has shipped: add the next version.
 *
 * @module
 */
import type pg from 'pg';
import { quoteIdent } from './sql.ts';

/** One schema change. `sql` receives the quoted schema name. */
export interface Migration {
  version: number;
  name: string;
  sql(schema: string): string;
}

/** Every migration, oldest first; versions are 1, 2, 3… without gaps. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event log, projection rows and checkpoints',
    sql: (s) => `
      -- record: the same record text as LevelDB's log values (recordFormat.ts), so both backends
      -- decode, trust and verify events with one registry. append_end marks an append's last
      -- event: subscribers hand appends over whole.
      CREATE TABLE ${s}.events (
        global_position bigint PRIMARY KEY,
        stream text NOT NULL,
        stream_position integer NOT NULL,
        record text NOT NULL,
        append_end boolean NOT NULL,
        CONSTRAINT events_stream_position UNIQUE (stream, stream_position)
      );
      -- Rows of inline projections. COLLATE "C": key order is byte order, as in LevelDB.
      CREATE TABLE ${s}.projection_rows (
        projection text NOT NULL,
        key text COLLATE "C" NOT NULL,
        value jsonb NOT NULL,
        PRIMARY KEY (projection, key)
      );
      CREATE TABLE ${s}.checkpoints (
        projection text PRIMARY KEY,
        version integer NOT NULL,
        position bigint NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'token vault: wrapped data keys and key check values',
    sql: (s) => `
      -- One wrapped data key per link (eventlog/vault): deleting the row shreds every value
      -- sealed with it. Written in the append's transaction through extraOps.
      CREATE TABLE ${s}.vault_keys (
        link_id text COLLATE "C" PRIMARY KEY,
        wrapped text NOT NULL
      );
      -- Key check value per master key id that wraps data keys here.
      CREATE TABLE ${s}.vault_key_checks (
        master_key_id text PRIMARY KEY,
        kcv text NOT NULL
      );
    `,
  },
];

/** The lock key of a schema's migrations (namespaced so it cannot meet the append lock). */
const lockKey = (schema: string) => `eventlog:migrate:${schema}`;

/**
 * Applies the missing migrations to `schema` (created if absent) and returns the versions
 * applied now (`[]`: already up to date). `migrations` defaults to the event log's; a module
 * that owns tables of its own (the music `file_id` cache) passes its list and its own schema,
 * which then has its own `schema_migrations`.
 */
export async function migrate(pool: pg.Pool, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const s = quoteIdent(schema);
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey(schema)]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`)).rows.map((r) => r.version));
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql(s));
          await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        }
        applied.push(m.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(schema)]);
    }
  } finally {
    client.release();
  }
  return applied;
}
