/**
 * Master key rotation, step two: re-wrap every data key with the active master key, then
 * retire the key check values of master keys that no longer wrap anything – after that the
 * old master key can be removed from the ring. Data keys themselves do not change, so no
 * sealed value in the log needs touching.
 *
 * Works in chunks; each re-wrapped key replaces the stored one only if that is still the
 * record read (`VaultStorage.replaceWrapped`), so a data key shredded meanwhile – by an
 * append in this process or another – is never written back.
 *
 * @module
 */
import { DecryptError } from './errors.ts';
import { parseWrapped, type WrappedKey } from './sealedFormat.ts';
import type { VaultStorage } from './vaultStorage.ts';

/** What `rewrap()` did. */
export interface RewrapReport {
  /** Data keys moved to the active master key. */
  rewrapped: number;
  /** Master key ids no data key depends on any more (safe to drop from the ring). */
  retiredKeyIds: string[];
}

/** What the vault hands to {@link rewrapAll}. */
export interface RewrapContext {
  storage: VaultStorage<unknown>;
  activeId: string;
  unwrap(linkId: string, record: WrappedKey): { id: string; key: Buffer };
  wrap(linkId: string, dk: { id: string; key: Buffer }): string;
}

const CHUNK = 256;

/** Re-wraps all data keys not wrapped by the active key; see the module comment. */
export async function rewrapAll(ctx: RewrapContext): Promise<RewrapReport> {
  let rewrapped = 0;
  let after: string | undefined;
  for (;;) {
    const entries = await ctx.storage.page(after, CHUNK);
    const changes: { linkId: string; old: string; wrapped: string }[] = [];
    for (const [linkId, raw] of entries) {
      const record = parseWrapped(raw);
      if (!record) throw new DecryptError(linkId, 'its stored data key record is malformed');
      if (record.mk === ctx.activeId) continue;
      changes.push({ linkId, old: raw, wrapped: ctx.wrap(linkId, ctx.unwrap(linkId, record)) });
    }
    if (changes.length > 0) rewrapped += await ctx.storage.replaceWrapped(changes);
    if (entries.length < CHUNK) break;
    after = entries.at(-1)![0];
  }
  const used = new Set<string>();
  for (let page = await ctx.storage.page(undefined, CHUNK); page.length > 0; page = page.length < CHUNK ? [] : await ctx.storage.page(page.at(-1)![0], CHUNK)) {
    for (const [, raw] of page) {
      const record = parseWrapped(raw);
      if (record) used.add(record.mk);
    }
  }
  const retiredKeyIds = [...(await ctx.storage.keyCheckValues()).keys()].filter((id) => id !== ctx.activeId && !used.has(id));
  if (retiredKeyIds.length > 0) await ctx.storage.deleteKeyCheckValues(retiredKeyIds);
  return { rewrapped, retiredKeyIds };
}
