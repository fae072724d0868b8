/**
 * The event log on PostgreSQL: the shared backend for several bot processes (issue 13).
 * See docs/eventlog.md (PostgreSQL).
 *
 * @module
 */
export { openPostgresEventStore, type OpenPostgresEventStoreOptions, type PostgresEventStore } from './postgresEventStore.ts';
export type { SqlOp } from './pgAppender.ts';
export { migrate, MIGRATIONS, type Migration } from './migrations.ts';
export { inTransaction, quoteIdent, redactUrl, SCHEMA_NAME } from './sql.ts';
export { openPostgresTokenVault, type OpenPostgresTokenVaultOptions } from './pgVault.ts';
