/**
 * Where the token vault keeps its wrapped data keys and key check values. The vault's
 * cryptography and caching (`tokenVault.ts`) are the same on every backend; only this seam
 * differs: LevelDB sublevels here, PostgreSQL tables in `eventlog/postgres/pgVault.ts`.
 *
 * `Op` is the backend's kind of write that rides in an append (`extraOps`): a LevelDB batch
 * operation or an SQL statement.
 *
 * @module
 */
import type { BatchOp, Keyspace, RootDb } from '../types.ts';
import { writeBatch } from '../writeBatch.ts';

/** Storage of one vault. Every write is durable when its promise resolves. */
export interface VaultStorage<Op> {
  /** The wrapped data key record of a link, if it has one. */
  getWrapped(linkId: string): Promise<string | undefined>;
  /** The write that stores (or replaces) a link's wrapped data key. */
  putOp(linkId: string, wrapped: string): Op;
  /** The write that deletes a link's data key (shredding). */
  delOp(linkId: string): Op;
  /** Writes ops outside an append, atomically and durably. */
  write(ops: readonly Op[]): Promise<void>;
  /** Up to `limit` `[linkId, wrapped]` in link id order, after `after`. */
  page(after: string | undefined, limit: number): Promise<[string, string][]>;
  /**
   * Replaces a wrapped key with its re-wrapped form unless it changed or vanished
   * meanwhile (a concurrent shred must never be undone). Returns how many were replaced.
   */
  replaceWrapped(entries: readonly { linkId: string; old: string; wrapped: string }[]): Promise<number>;
  /** Stored key check values by master key id. */
  keyCheckValues(): Promise<Map<string, string>>;
  putKeyCheckValue(id: string, kcv: string): Promise<void>;
  deleteKeyCheckValues(ids: readonly string[]): Promise<void>;
}

/**
 * The LevelDB storage: `vault/keys` and `vault/meta` sublevels of the store's root db.
 * `exclusive` (the store's writer) makes a re-wrap's read-compare-write one step with respect
 * to appends, so a key shredded by an append in between is not written back.
 */
export function levelVaultStorage(db: RootDb, exclusive: <T>(fn: () => Promise<T>) => Promise<T>): VaultStorage<BatchOp> {
  const keys = db.sublevel<string, string>(['vault', 'keys'], { valueEncoding: 'utf8' }) as Keyspace;
  const meta = db.sublevel<string, string>(['vault', 'meta'], { valueEncoding: 'utf8' }) as Keyspace;
  return {
    getWrapped: (linkId) => keys.get(linkId),
    putOp: (linkId, wrapped) => ({ type: 'put', sublevel: keys, key: linkId, value: wrapped }),
    delOp: (linkId) => ({ type: 'del', sublevel: keys, key: linkId }),
    write: (ops) => exclusive(() => writeBatch(db, ops, true)),
    page: (after, limit) => keys.iterator(after === undefined ? { limit } : { gt: after, limit }).all(),
    replaceWrapped: (entries) =>
      exclusive(async () => {
        const current = await keys.getMany(entries.map((e) => e.linkId));
        const ops: BatchOp[] = [];
        entries.forEach((e, i) => {
          if (current[i] === e.old) ops.push({ type: 'put', sublevel: keys, key: e.linkId, value: e.wrapped });
        });
        if (ops.length > 0) await writeBatch(db, ops, true);
        return ops.length;
      }),
    async keyCheckValues() {
      const out = new Map<string, string>();
      for await (const [k, kcv] of meta.iterator({ gte: 'kcv:', lt: 'kcv;' })) out.set(k.slice(4), kcv);
      return out;
    },
    putKeyCheckValue: (id, kcv) => meta.put(`kcv:${id}`, kcv, { sync: true } as never),
    deleteKeyCheckValues: (ids) => exclusive(() => writeBatch(db, ids.map((id) => ({ type: 'del', sublevel: meta, key: `kcv:${id}` })), true)),
  };
}
