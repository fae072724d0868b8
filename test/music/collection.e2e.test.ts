/**
 * "Send all" under an album's list, through the bot and the fake Bot API: the tracks arrive
 * in order as audio (real yt-dlp and ffmpeg on the local music world), one progress message
 * counts them, a summary names what was not sent and why, Stop ends the run, and a second
 * run of the same user is refused while one goes on, here or on another instance.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DownloadedAudio, Downloader, DownloadRequest } from '../../src/music/download/downloader.ts';
import { MemorySendAllRuns } from '../../src/bot/musicChat/sendAllRuns.ts';
import { InstantDownloader } from '../helpers/fakeDownloader.ts';
import { candidate } from '../helpers/musicFixtures.ts';
import { startMusicHarness, type MusicHarness } from '../helpers/musicHarness.ts';

type Button = { text: string; callback_data: string };
const buttons = (message: unknown): Button[] => (message as { reply_markup?: { inline_keyboard: Button[][] } }).reply_markup?.inline_keyboard.flat() ?? [];

const S = suite('Send all');

/** A Deezer album of `n` tracks; `playable` says which ones the search finds. */
async function album(h: MusicHarness, id: string, n: number, playable: (i: number) => boolean, real: boolean) {
  const tracks = Array.from({ length: n }, (_, i) => ({ id: `${id}${i + 1}`, title: `${id} Part ${i + 1}`, artists: ['Mira Solen'], seconds: 3 }));
  for (const [i, t] of tracks.entries()) {
    h.sources.addDeezer(t);
    if (!playable(i)) continue;
    const page = real ? await h.media.addPage(`/songs/${t.id}`, { title: t.title, artist: 'Mira Solen', seconds: 3, freq: 440 + i * 110 }) : `https://www.youtube.com/watch?v=${t.id.padEnd(11, 'x')}`;
    h.search.add(candidate(t.id, page, t.title, 'Mira Solen - Topic', 3));
  }
  h.sources.addDeezerAlbum({ id, title: `Album ${id}`, tracks });
  return tracks;
}

async function listFor(h: MusicHarness, user: { id: number }, albumId: string) {
  h.fake.sendText(user as never, `https://www.deezer.com/en/album/${albumId}`);
  await h.nextText(user.id, /💿/);
  await h.service.queue.idle();
  const list = h.fake.lastMessageTo(user.id)!;
  return { list, sendAll: buttons(list)[0]! };
}

S('Send all sends the tracks in order with one progress message and a summary of what failed', async () => {
  const h = await startMusicHarness({});
  try {
    await album(h, '700', 3, (i) => i !== 1, true); // the second track has no match anywhere
    const alice = h.fake.createUser();
    const { list, sendAll } = await listFor(h, alice, '700');
    assert.is(sendAll.text, '⬇️ Send all (3)');
    const before = h.fake.calls.filter((c) => c.method === 'sendMessage').length;
    h.fake.pressButton(alice, list, sendAll.callback_data);
    const first = await h.nextAudio(alice.id);
    const second = await h.nextAudio(alice.id);
    assert.equal([first.params.title, second.params.title], ['700 Part 1', '700 Part 3']);
    const summary = await h.nextText(alice.id, /Sent 2 of 3/);
    assert.match(summary, 'Not sent: Mira Solen — 700 Part 2 (no sure match)');
    await h.service.queue.idle();
    const progress = h.fake.calls.filter((c) => c.method === 'sendMessage').slice(before);
    assert.is(progress.length, 1, 'one progress message for the whole run, edited');
    assert.match(String(progress[0]!.params.text), '1/3');
    assert.is(h.fake.calls.filter((c) => c.method === 'sendAudio').length, 2, 'no choice messages, no extra audio');
    assert.equal(h.leftovers(), []);
    h.fake.assertNoViolations();
  } finally {
    await h.close();
  }
});

/** Holds every download until released; honours the job's abort signal. */
class GatedDownloader implements Downloader {
  readonly started: string[] = [];
  #open!: () => void;
  #gate = new Promise<void>((r) => (this.#open = r));
  constructor(private readonly inner = new InstantDownloader()) {}
  release(): void {
    this.#open();
  }
  async download(req: DownloadRequest): Promise<DownloadedAudio> {
    this.started.push(req.url);
    await new Promise<void>((resolve, reject) => {
      void this.#gate.then(resolve);
      req.signal?.addEventListener('abort', () => reject(req.signal!.reason), { once: true });
    });
    return this.inner.download(req);
  }
}

S('Stop ends the run at the current track; a second Send all is refused while one runs', async () => {
  const downloader = new GatedDownloader();
  const h = await startMusicHarness({ service: { downloader } });
  try {
    await album(h, '800', 3, () => true, false);
    const bob = h.fake.createUser();
    const { list, sendAll } = await listFor(h, bob, '800');
    h.fake.pressButton(bob, list, sendAll.callback_data);
    const progressText = await h.nextText(bob.id, /1\/3/);
    assert.match(progressText, '800 Part 1');
    while (downloader.started.length === 0) await new Promise((r) => setTimeout(r, 10));
    h.fake.pressButton(bob, list, sendAll.callback_data);
    const refused = await h.fake.nextCall('answerCallbackQuery', (c) => /still running/.test(String(c.params.text)));
    assert.is(refused.params.show_alert, true);
    const progress = h.fake.lastMessageTo(bob.id)!;
    const stop = buttons(progress).find((b) => /Stop/.test(b.text))!;
    h.fake.pressButton(bob, progress, stop.callback_data);
    assert.match(await h.nextText(bob.id, /Stopped/), 'sent 0 of 3');
    downloader.release();
    await h.service.queue.idle();
    assert.is(downloader.started.length, 1, 'the rest was never started');
    assert.is(h.fake.calls.filter((c) => c.method === 'sendAudio').length, 0);
    h.fake.assertNoViolations();
  } finally {
    await h.close();
  }
});

S('a run another instance holds for the user refuses Send all here; once it ends, Send all starts', async () => {
  // The lease store the instances share (PostgreSQL's in production: sendAllRuns.postgres.test.ts).
  const shared = new MemorySendAllRuns();
  const h = await startMusicHarness({ service: { downloader: new InstantDownloader() }, port: { sendAllRuns: shared } });
  try {
    await album(h, '900', 2, () => true, false);
    const carol = h.fake.createUser();
    const { list, sendAll } = await listFor(h, carol, '900');
    assert.ok(await shared.claim(carol.id, 'run-on-the-other-web', 60_000), 'the first tap reached the other instance');
    h.fake.pressButton(carol, list, sendAll.callback_data);
    const refused = await h.fake.nextCall('answerCallbackQuery', (c) => /still running/.test(String(c.params.text)));
    assert.is(refused.params.show_alert, true);
    await h.service.queue.idle();
    assert.is(h.fake.calls.filter((c) => c.method === 'sendAudio').length, 0, 'nothing sent twice');
    await shared.release(carol.id, 'run-on-the-other-web');
    h.fake.pressButton(carol, list, sendAll.callback_data);
    assert.match(await h.nextText(carol.id, /Sent \d+ of 2/), "Sent 2 of 2");
    h.fake.assertNoViolations();
  } finally {
    await h.close();
  }
});

S.run();
