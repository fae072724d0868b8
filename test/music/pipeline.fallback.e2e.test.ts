/**
 * When the chosen upload cannot be had: the next acceptable candidate is tried; a preview is
 * never sent; a source refusing "right now" is told to the user in their language and to the
 * operator once. Real yt-dlp and ffmpeg against local pages, or a stand-in yt-dlp printing the
 * real tool's error lines.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MusicMetrics, SourceTroubleKind } from '../../src/metrics/musicMetrics.ts';
import { writeFakeYtDlp } from '../helpers/fakeTools.ts';
import { candidate } from '../helpers/musicFixtures.ts';
import { withMusicHarness } from '../helpers/musicHarness.ts';

const Fallback = suite('uploads that cannot be had');

const yt = (id: string) => `https://www.youtube.com/watch?v=${id}`;

Fallback('a removed first upload falls back to the next candidate, which is sent and cached under its own key', () =>
  withMusicHarness({}, async (h) => {
    h.sources.addDeezer({ id: '7001', title: 'Tide Song', artists: ['Mira Solen'], seconds: 3 });
    // The first candidate's page answers 404 (the real yt-dlp: "HTTP Error 404: Not Found").
    h.search.add(candidate('gone1', yt('gonegonegon'), 'Tide Song', 'Mira Solen - Topic', 3));
    await h.media.addPage('/watch?v=herehereher', { title: 'Tide Song', artist: 'Mira Solen', seconds: 3, freq: 990 });
    h.search.add(candidate('here2', yt('herehereher'), 'Tide Song', 'Mira Solen - Topic', 3));
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.deezer.com/track/7001');
    const audio = await h.nextAudio(alice.id);
    assert.is(audio.params.title, 'Tide Song');
    assert.is(h.media.downloads('/watch?v=herehereher'), 1);
    await h.service.queue.idle();
    const fileId = audio.result.audio.file_id as string;
    assert.is((await h.service.cached('youtube:video:herehereher'))?.fileId, fileId, 'cached under the upload actually sent');
    assert.is(await h.service.cached('youtube:video:gonegonegon'), undefined, 'nothing cached under the dead upload');
    assert.is((await h.service.cached('deezer:track:7001'))?.fileId, fileId);
  }));

Fallback('when every candidate fails, the user reads the first failure', () =>
  withMusicHarness({}, async (h) => {
    h.sources.addDeezer({ id: '7002', title: 'Lost Song', artists: ['Mira Solen'], seconds: 3 });
    for (const id of ['lostlost001', 'lostlost002', 'lostlost003', 'lostlost004']) h.search.add(candidate(id, yt(id), 'Lost Song', 'Mira Solen - Topic', 3));
    const alice = h.fake.createUser({ languageCode: 'ru' });
    h.fake.sendText(alice, 'https://www.deezer.com/track/7002');
    assert.match(await h.nextText(alice.id, /🔗/), 'никуда не ведёт');
    await h.service.queue.idle();
    const tries = h.log.records().filter((r) => r.msg === 'upload not downloadable, trying the next candidate');
    assert.is(tries.length, 2, 'three uploads tried in all, no more');
    assert.is(h.fake.sentFiles.length, 0);
  }));

Fallback('a file much shorter than its source states is a preview: not sent, not cached, and the user reads why', () =>
  withMusicHarness({}, async (h) => {
    // SoundCloud's Go+ preview: the info's duration is the whole track, the file ~30 s.
    await h.media.addPage('/kestrel/go-plus-song', { title: 'Go Plus Song', artist: 'Kestrel', seconds: 3, claimedSeconds: 200 });
    const alice = h.fake.createUser();
    const link = 'https://soundcloud.com/kestrel/go-plus-song';
    h.fake.sendText(alice, link);
    assert.match(await h.nextText(alice.id, /✂️/), 'only a short preview');
    await h.service.queue.idle();
    assert.is(h.fake.sentFiles.length, 0);
    const key = h.service.parse(link).links[0]!.key;
    assert.is(await h.service.cached(key), undefined);
  }));

Fallback('a source rate-limiting the bot: users read "try again later", the operator gets one warning, the metric counts each', async () => {
  const trouble: SourceTroubleKind[] = [];
  const metrics: MusicMetrics = { downloadFinished() {}, cacheHit() {}, cacheMiss() {}, queueDepth() {}, sourceTrouble: (k) => void trouble.push(k) };
  // yt-dlp 2026.08.19, extractor/youtube/_video.py: the reason YouTube gives a rate-limited session.
  const line =
    "ERROR: [youtube] abcdefghijk: Video unavailable. This content isn't available, try again later. The current session has been rate-limited by YouTube for up to an hour. It is recommended to use `-t sleep` to add a delay between video requests to avoid exceeding the rate limit.";
  const tool = writeFakeYtDlp({ stderr: `${line}\n`, exitCode: 1 });
  try {
    await withMusicHarness({ music: { ytdlpPath: tool.path, ytdlpProxy: 'socks5://bob:hunter2@127.0.0.1:1080' }, metrics }, async (h) => {
      const alice = h.fake.createUser();
      const boris = h.fake.createUser({ languageCode: 'ru' });
      h.fake.sendText(alice, 'https://youtu.be/abcdefghijk');
      assert.match(await h.nextText(alice.id, /🚦/), 'try again later');
      h.fake.sendText(boris, 'https://youtu.be/bcdefghijkl');
      assert.match(await h.nextText(boris.id, /🚦/), 'Попробуйте позже');
      await h.service.queue.idle();
      assert.equal(trouble, ['throttled', 'throttled']);
      const warnings = h.log.records().filter((r) => r.kind === 'throttled' && r.level === 40);
      assert.is(warnings.length, 1, 'one warning, not one per request');
      assert.match(String(warnings[0]!.line), "This content isn't available");
      assert.match(String(warnings[0]!.advice), 'YTDLP_COOKIES');
      assert.not.ok(JSON.stringify(h.log.records()).includes('hunter2'), 'no proxy password in the log');
    });
  } finally {
    tool.remove();
  }
});

Fallback.run();
