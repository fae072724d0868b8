/**
 * Bad input end to end: every kind gets a clear message in the user's language, nothing
 * hangs, no process outlives its request and no temporary file stays.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startFakeSpotify } from '../helpers/fakeSpotify.ts';
import { isAlive, writeFakeYtDlp } from '../helpers/fakeTools.ts';
import { unlinkedWebApi } from '../helpers/musicFixtures.ts';
import { withMusicHarness, type MusicHarness, type MusicHarnessOptions } from '../helpers/musicHarness.ts';

const Errors = suite('music requests that cannot succeed');

/** Runs `body` on a fresh harness; a request that cannot succeed also sends no file. */
function withHarness(o: MusicHarnessOptions, body: (h: MusicHarness) => Promise<void>): Promise<void> {
  return withMusicHarness(o, async (h) => {
    await body(h);
    await h.service.queue.idle();
    assert.is(h.fake.sentFiles.length, 0, 'nothing was sent');
  });
}

Errors('a page claiming 25 minutes is refused as soon as yt-dlp reports its length', () =>
  withHarness({ music: { maxTrackSeconds: 600 } }, async (h) => {
    await h.media.addPage('/watch?v=longlonglon', { title: 'Endless', seconds: 3, claimedSeconds: 1500 });
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://youtu.be/longlonglon');
    assert.match(await h.nextText(alice.id, /⏱/), 'longer than 10 minutes');
  }));

Errors('a track whose metadata says it is too long is refused without searching', () =>
  withHarness({}, async (h) => {
    h.sources.addDeezer({ id: '111', title: 'Symphony', artists: ['Orchestra'], seconds: 1500 });
    const alice = h.fake.createUser({ languageCode: 'ru' });
    h.fake.sendText(alice, 'https://deezer.com/track/111');
    assert.match(await h.nextText(alice.id, /⏱/), 'длиннее 20 минут');
    assert.equal(h.search.queries, []);
  }));

Errors('audio over the upload limit is refused', () =>
  withHarness({ music: { maxUploadMb: 1 } }, async (h) => {
    await h.media.addPage('/watch?v=bigbigbigbi', { title: 'Big', seconds: 10, format: 'wav' });
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://youtu.be/bigbigbigbi');
    assert.match(await h.nextText(alice.id, /📦/), 'larger than 1 MB');
  }));

Errors('a dead link says so', () =>
  withHarness({}, async (h) => {
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://youtu.be/deaddeaddea');
    assert.match(await h.nextText(alice.id, /🔗/), 'leads nowhere');
  }));

Errors('a live stream is refused as soon as yt-dlp reports it, and yt-dlp is stopped', async () => {
  const pidFile = join(tmpdir(), `fake-ytdlp-live-${process.pid}.pid`);
  // What the real yt-dlp prints for a live item under `--match-filter "!is_live & …"`: only the
  // `--print pre_process:` line (YouTube's `live_status` is 'is_live'), then the filter skips it.
  const probe = '[probe] ' + JSON.stringify({ id: 'livelivelil', is_live: true, live_status: 'is_live' });
  const tool = writeFakeYtDlp({ stdout: [probe], sleepMs: 60_000, pidFile });
  try {
    await withHarness({ music: { ytdlpPath: tool.path } }, async (h) => {
      const alice = h.fake.createUser();
      h.fake.sendText(alice, 'https://www.youtube.com/live/livelivelil');
      assert.match(await h.nextText(alice.id, /📡/), 'live stream');
      await h.service.queue.idle();
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await waitUntil(() => !isAlive(pid));
    });
  } finally {
    tool.remove();
  }
});

Errors('a region-blocked source says so', async () => {
  const tool = writeFakeYtDlp({ stderr: 'ERROR: [youtube] abcdefghijk: The uploader has not made this video available in your country\n', exitCode: 1 });
  try {
    await withHarness({ music: { ytdlpPath: tool.path } }, async (h) => {
      const alice = h.fake.createUser();
      h.fake.sendText(alice, 'https://youtu.be/abcdefghijk');
      assert.match(await h.nextText(alice.id, /🌍/), 'not available in the bot');
    });
  } finally {
    tool.remove();
  }
});

Errors('cookies (a private copy in the job directory) and proxy from the config reach yt-dlp', async () => {
  const records = mkdtempSync(join(tmpdir(), 'fake-ytdlp-records-'));
  const cookies = join(tmpdir(), `cookies-${process.pid}.txt`);
  writeFileSync(cookies, '# Netscape HTTP Cookie File\n');
  const tool = writeFakeYtDlp({ stderr: 'ERROR: Sign in to confirm you’re not a bot. Use --cookies\n', exitCode: 1, recordDir: records });
  try {
    await withHarness({ music: { ytdlpPath: tool.path, ytdlpCookies: cookies, ytdlpProxy: 'socks5://127.0.0.1:1080' } }, async (h) => {
      const alice = h.fake.createUser();
      h.fake.sendText(alice, 'https://youtu.be/abcdefghijk');
      assert.match(await h.nextText(alice.id, /🔒/), 'cookies');
      const [record] = readdirSync(records).map((f) => JSON.parse(readFileSync(join(records, f), 'utf8')) as { args: string[]; cookies: string });
      const args = record!.args;
      const copy = args[args.indexOf('--cookies') + 1]!;
      assert.ok(copy.startsWith(h.tempRoot) && copy !== cookies, `a per-job copy: ${copy}`);
      assert.is(record!.cookies, '# Netscape HTTP Cookie File\n');
      assert.is(args[args.indexOf('--proxy') + 1], 'socks5://127.0.0.1:1080');
      assert.ok(args.includes('--ignore-config'));
    });
  } finally {
    tool.remove();
    rmSync(records, { recursive: true, force: true });
  }
});

Errors('a track nobody uploaded gets "not found"', () =>
  withHarness({}, async (h) => {
    h.sources.addDeezer({ id: '222', title: 'Unheard Song', artists: ['Nobody'], seconds: 200 });
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.deezer.com/track/222');
    assert.match(await h.nextText(alice.id, /🤷/), "couldn't find");
  }));

Errors('an unsupported music link is answered in a private chat and ignored in a group', () =>
  withHarness({}, async (h) => {
    const alice = h.fake.createUser();
    const group = h.fake.createGroup();
    h.fake.sendText(alice, 'https://bandcamp.com/track/x', { chat: group });
    h.fake.sendText(alice, 'https://artist.bandcamp.com/track/song');
    const text = await h.nextText(alice.id, /bandcamp/);
    assert.match(text, "can't get audio from artist.bandcamp.com");
    assert.is(h.fake.callsOf('sendMessage').filter((c) => c.params.chat_id === group.id).length, 0);
  }));

Errors('Yandex refusing both its API and its page gets a message that says why', () =>
  withHarness({}, async (h) => {
    h.sources.yandexMode = 'refuses';
    const alice = h.fake.createUser({ languageCode: 'ru' });
    h.fake.sendText(alice, 'https://music.yandex.com/album/1/track/2');
    assert.match(await h.nextText(alice.id, /🟡/), 'Яндекс Музыка не ответила');
  }));

Errors('a Spotify artist is answered with "not supported yet", and a playlist Spotify hides says what works, never silence', async () => {
  const spotify = await startFakeSpotify();
  try {
    await withHarness({ spotify: unlinkedWebApi(spotify) }, async (h) => {
      const alice = h.fake.createUser();
      h.fake.sendText(alice, 'https://open.spotify.com/artist/0TnOYISbd1XYRBk9myaseg');
      assert.match(await h.nextText(alice.id, /💿/), 'not supported yet');
      spotify.addUser({ id: 'bob' });
      const track = spotify.addTrack({ name: 'Bob only' });
      const playlist = spotify.addPlaylist({ name: "Bob's", owner: 'bob', entries: [{ trackId: track.id }] });
      h.fake.sendText(alice, `https://open.spotify.com/playlist/${playlist.id}`);
      assert.match(await h.nextText(alice.id, /🔒/), 'playlists that you own or collaborate on');
    });
  } finally {
    await spotify.close();
  }
});

Errors('cancel stops a running download: its process ends and its files go', async () => {
  const pidFile = join(tmpdir(), `fake-ytdlp-cancel-${process.pid}.pid`);
  const tool = writeFakeYtDlp({ sleepMs: 60_000, pidFile });
  try {
    await withHarness({ music: { ytdlpPath: tool.path } }, async (h) => {
      const alice = h.fake.createUser();
      h.fake.sendText(alice, 'https://youtu.be/abcdefghijk');
      const progress = await h.fake.nextCall('sendMessage', (c) => c.params.chat_id === alice.id);
      await waitUntil(() => isAliveFile(pidFile));
      const button = progress.result.reply_markup.inline_keyboard[0][0].callback_data as string;
      const bob = h.fake.createUser();
      h.fake.pressButton(bob, progress.result, button);
      assert.match(String((await h.fake.nextCall('answerCallbackQuery')).params.text), 'already finished', "someone else cannot cancel alice's request");
      h.fake.pressButton(alice, progress.result, button);
      await h.fake.nextCall('answerCallbackQuery');
      assert.match(await h.nextText(alice.id, /✖️ Cancelled/), 'Cancelled');
      await h.service.queue.idle();
      await waitUntil(() => !isAlive(Number(readFileSync(pidFile, 'utf8'))));
    });
  } finally {
    tool.remove();
  }
});

Errors('a missing yt-dlp tells the user downloads are broken and warns the operator', () =>
  withHarness({ music: { ytdlpPath: '/nonexistent/yt-dlp' } }, async (h) => {
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://youtu.be/abcdefghijk');
    assert.match(await h.nextText(alice.id, /🛠/), 'yt-dlp and ffmpeg');
    assert.ok(h.log.records().some((r) => r.level === 40 && /failed/.test(String(r.msg))), 'a warning was logged');
  }));

function isAliveFile(path: string): boolean {
  try {
    return isAlive(Number(readFileSync(path, 'utf8')));
  } catch {
    return false;
  }
}

/** Polls a condition that has no event to await (another process's state). */
async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

Errors.run();
