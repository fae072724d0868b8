/**
 * Small SQL helpers of the PostgreSQL event log.
 *
 * @module
 */

/** Schema names the store accepts: lower-case identifiers, so quoting never changes them. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** A double-quoted identifier (the schema name is checked against {@link SCHEMA_NAME} first). */
export function quoteIdent(name: string): string {
  if (!SCHEMA_NAME.test(name)) throw new TypeError(`schema name must match ${SCHEMA_NAME}`);
  return `"${name}"`;
}

/**
 * A connection URL fit for logs: the password replaced by `***`. Never log `DATABASE_URL`
 * itself.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
