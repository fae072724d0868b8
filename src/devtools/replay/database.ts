/**
 * The replay CLI on a PostgreSQL log (`--database-url`): the same {@link LogReader} the
 * commands read a data dir through, over the event store's tables, and the writer `rebuild`
 * uses. Reading opens the store without projections (nothing is rebuilt or caught up); the
 * store applies missing migrations at open, as the bot would.
 *
 * @module
 */
import pg from 'pg';
import type { EventLog, ReadonlyTable } from '../../../eventlog/index.ts';
import { openPostgresEventStore, redactUrl, type PostgresEventStore } from '../../../eventlog/postgres/index.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { createLinkRegistry } from '../../link/linkLog.ts';
import { linkProjections } from '../../link/projections.ts';
import type { LogReader } from './dataDir.ts';
import { ReplayError } from './errors.ts';
import { withPgSnapshot } from './logSnapshot.ts';

/** Where the log is: the URL (never printed as is) and the event log's schema. */
export interface DatabaseTarget {
  readonly url: string;
  readonly schema: string;
}

/** A store that cannot be opened is one line naming the database without its password. */
export async function openDatabase(target: DatabaseTarget, withProjections: boolean): Promise<{ store: PostgresEventStore<LinkEvent>; pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: target.url, max: 4, application_name: 'replay' });
  pool.on('error', () => {}); // an idle connection lost: the next query says what is wrong
  try {
    const store = await openPostgresEventStore<LinkEvent>({
      pool,
      schema: target.schema,
      registry: createLinkRegistry(),
      projections: withProjections ? [...linkProjections] : [],
    });
    return { store, pool };
  } catch (err) {
    await pool.end().catch(() => {});
    // pg's messages name the problem (refused, authentication failed, no such database), not the password.
    throw new ReplayError('NO_DATA_DIR', `cannot open the event log in ${redactUrl(target.url)} (schema ${target.schema}): ${(err as Error).message}`, {
      hint: 'check --database-url (or DATABASE_URL with --database-url env) and --schema',
      cause: err,
    });
  }
}

/** Reads the log and the projection tables of a PostgreSQL event store; writes nothing. */
export async function openDatabaseReader(target: DatabaseTarget): Promise<LogReader> {
  const { store, pool } = await openDatabase(target, false);
  const s = store.schema;
  const table = <V>(projection: string): ReadonlyTable<V> => ({
    async get(key) {
      const { rows } = await pool.query<{ value: V }>(`SELECT value FROM ${s}.projection_rows WHERE projection = $1 AND key = $2`, [projection, key]);
      return rows[0]?.value;
    },
    async *entries(range = {}) {
      const { rows } = await pool.query<{ key: string; value: V }>(
        `SELECT key, value FROM ${s}.projection_rows WHERE projection = $1 AND ($2::text IS NULL OR key >= $2) AND ($3::text IS NULL OR key < $3)
         ORDER BY key LIMIT $4`,
        [projection, range.gte ?? null, range.lt ?? null, range.limit ?? null],
      );
      for (const r of rows) yield [r.key, r.value];
    },
  });
  return {
    dataDir: `${redactUrl(target.url)} (schema ${target.schema})`,
    dbDir: redactUrl(target.url),
    copy: undefined,
    store,
    table,
    // JSON text of the stored value: jsonb keeps no key order, so verify compares values, not bytes.
    async *rows(projection) {
      for await (const [key, value] of table<unknown>(projection).entries()) yield [key, JSON.stringify(value)];
    },
    async checkpoint(projection) {
      const { rows } = await pool.query<{ version: number; position: string }>(`SELECT version, position FROM ${s}.checkpoints WHERE projection = $1`, [projection]);
      return rows[0] ? { version: rows[0].version, position: Number(rows[0].position) } : undefined;
    },
    withSnapshot: (fn) => withPgSnapshot(pool, s, fn),
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

/** Opens the store with the link projections (brought up to the head at open), for `rebuild`. */
export async function openDatabaseWriter(target: DatabaseTarget): Promise<EventLog<LinkEvent, unknown>> {
  const { store, pool } = await openDatabase(target, true);
  return {
    ...store,
    async close() {
      await store.close();
      await pool.end();
    },
  };
}
