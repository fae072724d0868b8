/**
 * The token vault on PostgreSQL: the same vault (`eventlog/vault/tokenVault.ts`) with its
 * wrapped data keys in `<schema>.vault_keys` and key check values in
 * `<schema>.vault_key_checks` (migration 2). `createDataKeyOps` and `shredOps` return SQL
 * statements for an append's `extraOps`, so a data key is created or deleted in the same
 * transaction as the event that needs it – `Unlinked` and the shredding commit together or
 * not at all.
 *
 * Several processes share the table. A re-wrap replaces a key only while it still holds the
 * record that was read (`UPDATE … WHERE wrapped = old`), so a shred committed by any process
 * in between is never undone. Each process caches unwrapped keys (bounded); a shred in
 * another process reaches this cache only when the key is evicted or the process restarts, so
 * callers must not rely on a shred elsewhere making `open` fail here at once – the log's
 * projections (e.g. a link marked unlinked) are what tells a link is gone.
 *
 * @module
 */
import { createTokenVault, type TokenVault, type VaultKeyOptions } from '../vault/tokenVault.ts';
import type { VaultStorage } from '../vault/vaultStorage.ts';
import type { SqlOp } from './pgAppender.ts';
import type { PostgresEventStore } from './postgresEventStore.ts';
import { inTransaction } from './sql.ts';

/** Options of {@link openPostgresTokenVault}. */
export interface OpenPostgresTokenVaultOptions extends VaultKeyOptions {
  /** The store whose pool and schema (already migrated) the vault uses. */
  store: Pick<PostgresEventStore<any>, 'pool' | 'schema'>;
}

function pgVaultStorage({ pool, schema }: OpenPostgresTokenVaultOptions['store']): VaultStorage<SqlOp> {
  return {
    async getWrapped(linkId) {
      const { rows } = await pool.query<{ wrapped: string }>(`SELECT wrapped FROM ${schema}.vault_keys WHERE link_id = $1`, [linkId]);
      return rows[0]?.wrapped;
    },
    putOp: (linkId, wrapped) => ({
      text: `INSERT INTO ${schema}.vault_keys (link_id, wrapped) VALUES ($1, $2) ON CONFLICT (link_id) DO UPDATE SET wrapped = EXCLUDED.wrapped`,
      values: [linkId, wrapped],
    }),
    delOp: (linkId) => ({ text: `DELETE FROM ${schema}.vault_keys WHERE link_id = $1`, values: [linkId] }),
    async write(ops) {
      await inTransaction(pool, async (client) => {
        for (const op of ops) await client.query(op.text, op.values as unknown[] | undefined);
      });
    },
    async page(after, limit) {
      const { rows } = await pool.query<{ link_id: string; wrapped: string }>(
        `SELECT link_id, wrapped FROM ${schema}.vault_keys WHERE $1::text IS NULL OR link_id > $1 ORDER BY link_id LIMIT $2`,
        [after ?? null, limit],
      );
      return rows.map((r) => [r.link_id, r.wrapped]);
    },
    async replaceWrapped(entries) {
      const { rowCount } = await pool.query(
        `UPDATE ${schema}.vault_keys k SET wrapped = e.wrapped
           FROM unnest($1::text[], $2::text[], $3::text[]) AS e(link_id, old, wrapped)
          WHERE k.link_id = e.link_id AND k.wrapped = e.old`,
        [entries.map((e) => e.linkId), entries.map((e) => e.old), entries.map((e) => e.wrapped)],
      );
      return rowCount ?? 0;
    },
    async keyCheckValues() {
      const { rows } = await pool.query<{ master_key_id: string; kcv: string }>(`SELECT master_key_id, kcv FROM ${schema}.vault_key_checks`);
      return new Map(rows.map((r) => [r.master_key_id, r.kcv]));
    },
    async putKeyCheckValue(id, kcv) {
      await pool.query(`INSERT INTO ${schema}.vault_key_checks (master_key_id, kcv) VALUES ($1, $2) ON CONFLICT (master_key_id) DO NOTHING`, [id, kcv]);
    },
    async deleteKeyCheckValues(ids) {
      await pool.query(`DELETE FROM ${schema}.vault_key_checks WHERE master_key_id = ANY($1::text[])`, [ids]);
    },
  };
}

/**
 * Opens the vault on the PostgreSQL store's tables and checks the key ring.
 *
 * @throws {MasterKeyMismatchError} when a master key that wrapped data keys here is missing from the ring.
 * @example
 * const vault = await openPostgresTokenVault({ store, masterKeys: [masterKeyFromBase64(key)] });
 * const { ops } = vault.createDataKeyOps(linkId);
 * await store.appendToStream(stream, [LoginStarted.of({ ... })], { expectedVersion: NO_STREAM, extraOps: ops });
 */
export function openPostgresTokenVault(options: OpenPostgresTokenVaultOptions): Promise<TokenVault<SqlOp>> {
  return createTokenVault(pgVaultStorage(options.store), options);
}
