/**
 * The `file_id` cache end to end: a track already sent is re-sent by `file_id` with no
 * download and no search, whether reached by the same link, by another service's link with
 * the same ISRC, or after the bot restarted on the same data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLevelDb } from '../../../eventlog/index.ts';
import { openAudioCache } from '../../../src/music/cache/audioCache.ts';
import type { MusicMetrics } from '../../../src/metrics/musicMetrics.ts';
import { FakeBotApi } from '../../helpers/fakeBotApi.ts';
import { startFakeSpotify } from '../../helpers/fakeSpotify.ts';
import { candidate, unlinkedWebApi } from '../../helpers/musicFixtures.ts';
import { startMusicHarness } from '../../helpers/musicHarness.ts';

const Cache = suite('file_id cache, end to end');

/** A MusicMetrics that remembers what it was told. */
function recordingMetrics() {
  const seen = { hits: [] as string[], misses: 0, finished: [] as string[] };
  const metrics: MusicMetrics = {
    downloadFinished: ({ outcome, code }) => void seen.finished.push(code ? `${outcome}:${code}` : outcome),
    cacheHit: (by) => void seen.hits.push(by),
    cacheMiss: () => void (seen.misses += 1),
    queueDepth: () => undefined,
    sourceTrouble: () => undefined,
  };
  return { metrics, seen };
}

Cache('the same link again is re-sent by file_id: no download, no search, no progress message', async () => {
  const { metrics, seen } = recordingMetrics();
  const h = await startMusicHarness({ metrics });
  try {
    await h.media.addPage('/watch?v=aaaaaaaaaaa', { title: 'Low Tide', artist: 'Kestrel', seconds: 3 });
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.youtube.com/watch?v=aaaaaaaaaaa');
    const first = await h.nextAudio(alice.id);
    await h.service.queue.idle();
    const ytdlpMs = h.service.meter.total('yt-dlp');
    const messages = h.fake.callsOf('sendMessage').length;

    const bob = h.fake.createUser();
    h.fake.sendText(bob, 'again: youtu.be/aaaaaaaaaaa');
    const again = await h.nextAudio(bob.id);
    await h.fake.whenPolling(); // the handler has finished: the bot polls again
    assert.is(again.params.audio, first.result.audio.file_id);
    assert.is(h.fake.sentFiles.at(-1)?.via, 'file_id');
    assert.is(h.media.downloads('/watch?v=aaaaaaaaaaa'), 1, 'downloaded once');
    assert.is(h.service.meter.total('yt-dlp'), ytdlpMs, 'yt-dlp was not started again');
    assert.is(h.fake.callsOf('sendMessage').length, messages, 'no progress message for a cache hit');
    assert.equal(seen, { hits: ['key'], misses: 1, finished: ['sent'] }, 'metrics counted one miss, one download, one hit');
    h.fake.assertNoViolations();
  } finally {
    await h.close();
  }
});

Cache('a link on another service with the same ISRC is re-sent without searching or downloading', async () => {
  const spotify = await startFakeSpotify();
  const { metrics, seen } = recordingMetrics();
  const h = await startMusicHarness({ spotify: unlinkedWebApi(spotify), metrics });
  try {
    h.sources.addDeezer({ id: '908604612', title: 'Night Swim', artists: ['Mira Solen'], seconds: 3, isrc: 'QZABC2400009' });
    const page = await h.media.addPage('/songs/night-swim', { title: 'Night Swim', artist: 'Mira Solen', seconds: 3 });
    h.search.add(candidate('ns1', page, 'Night Swim', 'Mira Solen - Topic', 3));
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.deezer.com/track/908604612');
    const first = await h.nextAudio(alice.id);
    await h.service.queue.idle();
    const searches = h.search.queries.length;

    const track = spotify.addTrack({ name: 'Night Swim', artists: ['Mira Solen'], durationMs: 3000, isrc: 'QZABC2400009' });
    h.fake.sendText(alice, `https://open.spotify.com/track/${track.id}`);
    const again = await h.nextAudio(alice.id);
    await h.service.queue.idle();
    assert.is(again.params.audio, first.result.audio.file_id);
    assert.is(h.search.queries.length, searches, 'no search');
    assert.is(h.media.downloads(), 1, 'no second download');
    assert.is(await h.port.cachedAudio(track.id), first.result.audio.file_id, 'inline results find it by Spotify id');
    assert.equal(seen.hits, ['isrc']);
    h.fake.assertNoViolations();
  } finally {
    await h.close();
    await spotify.close();
  }
});

Cache('after a restart on the same data directory, a sent track is still re-sent by file_id', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'music-cache-db-'));
  const fake = await FakeBotApi.start();
  try {
    let db = await openLevelDb(dir);
    const h1 = await startMusicHarness({ db, fake });
    await h1.media.addPage('/watch?v=bbbbbbbbbbb', { title: 'Harbour', artist: 'Kestrel', seconds: 3 });
    const alice = fake.createUser();
    fake.sendText(alice, 'https://youtu.be/bbbbbbbbbbb');
    const first = await h1.nextAudio(alice.id);
    await h1.service.queue.idle();
    await h1.close({ keepServers: true });
    await db.close();

    db = await openLevelDb(dir);
    const h2 = await startMusicHarness({ db, fake, media: h1.media, sources: h1.sources });
    try {
      fake.sendText(alice, 'https://youtu.be/bbbbbbbbbbb');
      const again = await h2.nextAudio(alice.id);
      assert.is(again.params.audio, first.result.audio.file_id);
      assert.is(h1.media.downloads('/watch?v=bbbbbbbbbbb'), 1);
    } finally {
      await h2.close({ keepServers: true });
      await db.close();
      await h1.media.close();
      await h1.sources.close();
    }
    fake.assertNoViolations();
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

Cache('a file_id Telegram no longer accepts is forgotten and the track is downloaded again', async () => {
  const h = await startMusicHarness();
  try {
    await h.media.addPage('/watch?v=ccccccccccc', { title: 'Drift', artist: 'Kestrel', seconds: 3 });
    // The cache is the service's own sublevel; a stale entry is planted through the same API.
    const cache = openAudioCache(h.db);
    await cache.put(['youtube:video:ccccccccccc'], undefined, { fileId: 'AgADstale-file-id', storedAt: 1 });
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://youtu.be/ccccccccccc');
    const refused = await h.fake.nextCall('sendAudio', (c) => c.params.audio === 'AgADstale-file-id');
    assert.is(refused.status, 400);
    const upload = await h.nextAudio(alice.id);
    await h.service.queue.idle();
    assert.is(h.fake.sentFiles.find((f) => f.fileId === upload.result.audio.file_id)?.via, 'upload');
    assert.is((await cache.get('youtube:video:ccccccccccc'))?.fileId, upload.result.audio.file_id, 'the new file_id replaced it');
    h.fake.takeViolations();
  } finally {
    await h.close();
  }
});

Cache.run();
