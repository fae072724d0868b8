/**
 * What one user's request leaves in the `file_id` cache must not leak to others: a private
 * SoundCloud link is cached under a sealed key of its own (never the guessable public
 * permalink's, never its secret in a key or log line), and a track a user picked from
 * buttons is remembered for that user and link only (not under the ISRC, the upload's page
 * or the link's shared key). Downloads are instant stand-ins, as in the choices test.
 */
import { MemoryLevel } from 'memory-level';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RootDb } from '../../eventlog/index.ts';
import { InstantDownloader } from '../helpers/fakeDownloader.ts';
import { candidate } from '../helpers/musicFixtures.ts';
import { startMusicHarness, type MusicHarness } from '../helpers/musicHarness.ts';

const Privacy = suite('private links and picks stay private');

async function withHarness(body: (h: MusicHarness, d: InstantDownloader, db: MemoryLevel<string, string>) => Promise<void>): Promise<void> {
  const downloader = new InstantDownloader();
  const db = new MemoryLevel<string, string>();
  const h = await startMusicHarness({ db: db as unknown as RootDb, service: { downloader } });
  try {
    await body(h, downloader, db);
    await h.service.queue.idle();
    h.fake.assertNoViolations();
  } finally {
    await h.close();
    await db.close();
  }
}

/** Every key of the audio cache's sublevel. */
async function cacheKeys(db: MemoryLevel<string, string>): Promise<string[]> {
  return db.sublevel<string, string>('music-audio', { keyEncoding: 'utf8', valueEncoding: 'utf8' }).keys().all();
}

Privacy('a private SoundCloud link is cached for itself: the public permalink fetches its own, the secret never shows', () =>
  withHarness(async (h, downloader, db) => {
    const secret = 's-Pr1vT';
    const alice = h.fake.createUser();
    h.fake.sendText(alice, `https://soundcloud.com/kestrel/hidden-demo/${secret}`);
    const first = await h.nextAudio(alice.id);
    await h.service.queue.idle();
    assert.is(downloader.requests.length, 1);
    assert.match(downloader.requests[0]!.url, secret, 'the download itself needs the secret');

    const mallory = h.fake.createUser();
    h.fake.sendText(mallory, 'https://soundcloud.com/kestrel/hidden-demo');
    const guessed = await h.nextAudio(mallory.id);
    await h.service.queue.idle();
    assert.is(downloader.requests.length, 2, 'the public permalink is fetched on its own');
    assert.not.match(downloader.requests[1]!.url, secret);
    assert.is.not(guessed.result.audio.file_id, first.result.audio.file_id, 'the private upload is not re-sent');

    h.fake.sendText(alice, `https://soundcloud.com/kestrel/hidden-demo/${secret}`);
    const again = await h.nextAudio(alice.id);
    await h.service.queue.idle();
    assert.is(downloader.requests.length, 2, 'the private link again is a cache hit');
    assert.is(again.result.audio.file_id, first.result.audio.file_id);

    const keys = await cacheKeys(db);
    assert.ok(keys.some((k) => k.startsWith('k:sealed:')), keys.join(' '));
    for (const k of keys) assert.not.ok(k.toLowerCase().includes(secret.toLowerCase()), `secret in key ${k}`);
    assert.not.ok(h.log.text().toLowerCase().includes(secret.toLowerCase()), 'secret in the log');
  }));

Privacy("a pick from buttons is re-sent to the same user for that link, never to others nor by ISRC or the upload's key", () =>
  withHarness(async (h, downloader, db) => {
    h.sources.addDeezer({ id: '777', title: 'Lanterns', artists: ['Mira Solen'], seconds: 200, isrc: 'QZABC2400099' });
    const yt = (id: string) => `https://www.youtube.com/watch?v=${id.repeat(11).slice(0, 11)}`;
    h.search
      .add(candidate('c1', yt('c1'), 'Lanterns', 'Various Uploads', 201, 'youtube'))
      .add(candidate('c2', yt('c2'), 'Mira Solen - Lanterns (Acoustic)', 'Acoustic Sessions', 203, 'youtube'))
      .add(candidate('c3', yt('c3'), 'Lanterns (Lyrics)', 'LyricsWorld', 200, 'youtube'));
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.deezer.com/track/777');
    await h.nextText(alice.id, /🤔/);
    await h.service.queue.idle();
    const choice = h.fake.lastMessageTo(alice.id)!;
    const offered = (choice as { reply_markup?: { inline_keyboard: Array<Array<{ callback_data: string }>> } }).reply_markup!.inline_keyboard.flat();
    h.fake.pressButton(alice, choice, offered[2]!.callback_data);
    const picked = await h.nextAudio(alice.id);
    await h.service.queue.idle();
    assert.is(downloader.requests.length, 1);

    const keys = await cacheKeys(db);
    assert.equal(keys, [`k:pick:${alice.id}:deezer:track:777`], 'only under the user\'s own key');

    const bob = h.fake.createUser();
    h.fake.sendText(bob, 'https://www.deezer.com/track/777');
    await h.nextText(bob.id, /🤔/);
    await h.service.queue.idle();
    assert.is(downloader.requests.length, 1, 'another user is asked, not handed the pick');

    h.fake.sendText(alice, 'https://www.deezer.com/track/777');
    const again = await h.nextAudio(alice.id);
    await h.service.queue.idle();
    assert.is(again.result.audio.file_id, picked.result.audio.file_id, 'the same user gets their pick again');
    assert.is(downloader.requests.length, 1);
  }));

Privacy.run();
