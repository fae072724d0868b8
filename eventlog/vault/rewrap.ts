/**
 * Master key rotation, step two: re-wrap every data key with the active master key, then
 * retire the key check values of master keys that no longer wrap anything – after that the
 * old master key can be removed from the ring. Data keys themselves do not change, so no
 * sealed value in the log needs touching.
 *
 * Works in chunks, each read and written inside `exclusive` (the store's writer), so a
 * data key shredded by a concurrent append is never written back.
 *
 * @module
 */
import type { BatchOp, Keyspace, RootDb } from '../types.ts';
import { DecryptError } from './errors.ts';
import { parseWrapped, type WrappedKey } from './sealedFormat.ts';
import { writeBatch } from '../writeBatch.ts';

/** What `rewrap()` did. */
export interface RewrapReport {
  /** Data keys moved to the active master key. */
  rewrapped: number;
  /** Master key ids no data key depends on any more (safe to drop from the ring). */
  retiredKeyIds: string[];
}

/** What the vault hands to {@link rewrapAll}. */
export interface RewrapContext {
  db: RootDb;
  keys: Keyspace;
  meta: Keyspace;
  activeId: string;
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
  unwrap(linkId: string, record: WrappedKey): { id: string; key: Buffer };
  wrap(linkId: string, dk: { id: string; key: Buffer }): string;
}

const CHUNK = 256;

/** Re-wraps all data keys not wrapped by the active key; see the module comment. */
export async function rewrapAll(ctx: RewrapContext): Promise<RewrapReport> {
  let rewrapped = 0;
  let after: string | undefined;
  for (;;) {
    const step = await ctx.exclusive(async () => {
      const range = after === undefined ? { limit: CHUNK } : { gt: after, limit: CHUNK };
      const entries = await ctx.keys.iterator(range).all();
      const ops: BatchOp[] = [];
      for (const [linkId, raw] of entries) {
        const record = parseWrapped(raw);
        if (!record) throw new DecryptError(linkId, 'its stored data key record is malformed');
        if (record.mk === ctx.activeId) continue;
        ops.push({ type: 'put', sublevel: ctx.keys, key: linkId, value: ctx.wrap(linkId, ctx.unwrap(linkId, record)) });
      }
      if (ops.length > 0) await writeBatch(ctx.db, ops, true);
      return { count: entries.length, last: entries.at(-1)?.[0], rewrapped: ops.length };
    });
    rewrapped += step.rewrapped;
    if (step.count < CHUNK) break;
    after = step.last;
  }
  const retiredKeyIds = await ctx.exclusive(async () => {
    const used = new Set<string>();
    for await (const raw of ctx.keys.values()) {
      const record = parseWrapped(raw);
      if (record) used.add(record.mk);
    }
    const retired: string[] = [];
    for await (const key of ctx.meta.keys({ gte: 'kcv:', lt: 'kcv;' })) {
      const id = key.slice(4);
      if (id !== ctx.activeId && !used.has(id)) retired.push(id);
    }
    if (retired.length > 0) {
      await writeBatch(ctx.db, retired.map((id) => ({ type: 'del', sublevel: ctx.meta, key: `kcv:${id}` })), true);
    }
    return retired;
  });
  return { rewrapped, retiredKeyIds };
}
