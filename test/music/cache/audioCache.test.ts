import { MemoryLevel } from 'memory-level';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RootDb } from '../../../eventlog/index.ts';
import { openAudioCache } from '../../../src/music/cache/audioCache.ts';

const C = suite('audio cache');
const audio = { fileId: 'CQACAgIAAxkB', title: 'Song', performer: 'Band', durationSec: 200, storedAt: 1 };

C('one put is found by every key and by the ISRC in any spelling', async () => {
  const cache = openAudioCache(new MemoryLevel() as unknown as RootDb);
  await cache.put(['spotify:track:a', 'youtube:video:b'], 'usum71703861', audio);
  assert.equal(await cache.get('spotify:track:a'), audio);
  assert.equal(await cache.get('youtube:video:b'), audio);
  assert.equal(await cache.getByIsrc('US-UM7-17-03861'), audio);
  assert.is(await cache.get('deezer:track:1'), undefined);
});

C('delete forgets keys and the ISRC; other sublevels are untouched', async () => {
  const db = new MemoryLevel<string, string>();
  await db.put('other', 'x');
  const cache = openAudioCache(db as unknown as RootDb);
  await cache.put(['k'], 'QZ1', audio);
  await cache.delete(['k'], 'QZ1');
  assert.is(await cache.get('k'), undefined);
  assert.is(await cache.getByIsrc('QZ1'), undefined);
  assert.is(await db.get('other'), 'x');
});

C('a damaged entry reads as a miss, never a crash', async () => {
  const db = new MemoryLevel<string, string>();
  await db.sublevel('music-audio').put('k:x', '{not json');
  await db.sublevel('music-audio').put('k:y', '{"title":"no file id"}');
  const cache = openAudioCache(db as unknown as RootDb);
  assert.is(await cache.get('x'), undefined);
  assert.is(await cache.get('y'), undefined);
});

C('a sealed key is stable across reopening, differs per secret and per cache, and holds no part of the secret', async () => {
  const db = new MemoryLevel<string, string>();
  const url = 'https://soundcloud.com/forss/flickermood/s-AbCdE';
  const first = await openAudioCache(db as unknown as RootDb).sealedKey(url);
  const again = await openAudioCache(db as unknown as RootDb).sealedKey(url);
  assert.is(again, first);
  assert.match(first, /^sealed:[0-9a-f]{64}$/);
  assert.is.not(await openAudioCache(db as unknown as RootDb).sealedKey(url.replace('AbCdE', 'AbCdF')), first);
  const otherInstall = await openAudioCache(new MemoryLevel() as unknown as RootDb).sealedKey(url);
  assert.is.not(otherInstall, first, 'a random salt per cache: the digest cannot be precomputed');
});

C.run();
