/**
 * The `file_id` cache's contract on every backend: LevelDB (`leveldb.audioCache.contract.test.ts`)
 * and PostgreSQL (`postgres.audioCache.contract.test.ts`).
 */
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AudioCache } from '../../../src/music/cache/audioCache.ts';

/** A backend: `open()` gives a cache over fresh storage; `reopen()` another instance on the same storage. */
export interface AudioCacheBackend {
  name: string;
  /**
   * Whether several instances share the storage at once (PostgreSQL: every bot process). The
   * LevelDB cache has one instance per data dir; two opened on one db that salt at the same
   * moment each keep their own salt – not a case the app has, so not asserted there.
   */
  sharedByInstances: boolean;
  open(): Promise<{ cache: AudioCache; reopen(): Promise<AudioCache>; close(): Promise<void> }>;
}

const audio = { fileId: 'CQACAgIAAxkB', title: 'Song', performer: 'Band', durationSec: 200, storedAt: 1 };

/** Registers the contract; the caller runs the returned suite. */
export function audioCacheContract(backend: AudioCacheBackend): Test {
  const test = suite(`file_id cache contract: ${backend.name}`);

  test('an upload stored by one instance is found by another under every key and the ISRC in any spelling', async () => {
    const { cache, reopen, close } = await backend.open();
    try {
      await cache.put(['spotify:track:a', 'youtube:video:b'], 'usum71703861', audio);
      const other = await reopen();
      assert.equal(await other.get('spotify:track:a'), audio);
      assert.equal(await other.get('youtube:video:b'), audio);
      assert.equal(await other.getByIsrc('US-UM7-17-03861'), audio);
      assert.is(await other.get('deezer:track:1'), undefined);
      await cache.put(['spotify:track:a'], undefined, { ...audio, fileId: 'newer' });
      assert.is((await other.get('spotify:track:a'))?.fileId, 'newer', 'a later upload replaces the entry');
    } finally {
      await close();
    }
  });

  test('delete forgets the keys and the ISRC, and nothing else', async () => {
    const { cache, close } = await backend.open();
    try {
      await cache.put(['k', 'keep'], 'QZ1', audio);
      await cache.delete(['k'], 'QZ1');
      assert.is(await cache.get('k'), undefined);
      assert.is(await cache.getByIsrc('QZ1'), undefined);
      assert.equal(await cache.get('keep'), audio);
    } finally {
      await close();
    }
  });

  test('a sealed key is the same for every instance, differs per secret, and holds no part of the secret', async () => {
    const { cache, reopen, close } = await backend.open();
    try {
      const url = 'https://soundcloud.com/forss/flickermood/s-AbCdE';
      const other = await reopen();
      const [first, concurrent] = await Promise.all([cache.sealedKey(url), backend.sharedByInstances ? other.sealedKey(url) : Promise.resolve('')]);
      if (backend.sharedByInstances) assert.is(concurrent, first, 'instances starting together agree on one salt');
      assert.match(first, /^sealed:[0-9a-f]{64}$/);
      assert.is(await (await reopen()).sealedKey(url), first);
      assert.is.not(await cache.sealedKey(url.replace('AbCdE', 'AbCdF')), first);
    } finally {
      await close();
    }
  });

  return test;
}
