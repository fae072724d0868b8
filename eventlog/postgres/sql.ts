/**
 * Small SQL helpers of the PostgreSQL event log.
 *
 * @module
 */
import type pg from 'pg';

/** Schema names the store accepts: lower-case identifiers, so quoting never changes them. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** A double-quoted identifier (the schema name is checked against {@link SCHEMA_NAME} first). */
export function quoteIdent(name: string): string {
  if (!SCHEMA_NAME.test(name)) throw new TypeError(`schema name must match ${SCHEMA_NAME}`);
  return `"${name}"`;
}

/**
 * A connection URL fit for logs: the password, and a `password=` query parameter (libpq
 * accepts one), replaced by `***`. Never log `DATABASE_URL` itself.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/**
 * Runs `fn` in a transaction on one of `pool`'s connections, opened with `begin` (e.g.
 * `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` for one snapshot): committed when `fn`
 * resolves, rolled back when it throws, the connection given back either way.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
