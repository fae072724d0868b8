/**
 * The yt-dlp runs against the real yt-dlp (2023.03.04, Debian) and local pages: limits that
 * yt-dlp itself enforces before a byte moves, a private cookies copy per run, the cache
 * directory; and against a stand-in for what a local page cannot provoke (a SoundCloud
 * preview format, parallel runs).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isMusicError } from '../../../src/music/errors.ts';
import { ytDlpDownload, ytDlpProbe, type YtDlpSettings } from '../../../src/music/tools/ytDlp.ts';
import { writeFakeYtDlp } from '../../helpers/fakeTools.ts';
import { generateClip, startMediaServer, type MediaServer } from '../../helpers/mediaServer.ts';
import { rejects } from '../../helpers/rejects.ts';

const Y = suite('yt-dlp runs');

let media: MediaServer;
let root: string;
Y.before(async () => {
  media = await startMediaServer();
  root = mkdtempSync(join(tmpdir(), 'ytdlp-e2e-'));
});
Y.after(async () => {
  await media.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
/** A fresh job directory. */
function jobDir(): string {
  const dir = join(root, `job-${(n += 1)}`);
  mkdirSync(dir);
  return dir;
}

const limits = { maxSeconds: 600, maxBytes: 50 * 1024 * 1024, timeoutMs: 60_000 };
const real: YtDlpSettings = { path: 'yt-dlp' };

Y('an overlong item is refused by yt-dlp before a byte of its audio moves, every time', async () => {
  const url = await media.addPage('/watch?v=longlonglo1', { title: 'Endless', seconds: 3, claimedSeconds: 1500 });
  for (let i = 0; i < 10; i += 1) {
    const dir = jobDir();
    const err = await rejects(ytDlpDownload(real, url, dir, limits));
    assert.ok(isMusicError(err, 'MUSIC_TOO_LONG'), `run ${i}: ${String(err)}`);
    assert.equal(readdirSync(dir), [], `run ${i}: no file`);
  }
  assert.is(media.downloads('/watch?v=longlonglo1'), 0, 'the audio URL was never requested');
});

Y('an item within the limit still downloads, once', async () => {
  const url = await media.addPage('/watch?v=fitsfitsfit', { title: 'Fits', artist: 'Kestrel', seconds: 3 });
  const dir = jobDir();
  const { info, file } = await ytDlpDownload(real, url, dir, limits);
  assert.is(info.durationSec, 3);
  assert.ok(statSync(file).size > 1000);
  assert.is(media.downloads('/watch?v=fitsfitsfit'), 1);
});

Y('the cookies file is copied per run: the original stays byte for byte, a read-only one works', async () => {
  const url = await media.addPage('/watch?v=cookiecooki', { title: 'Crumbs', seconds: 3 });
  const cookies = join(root, 'cookies.txt');
  // Netscape format as exported by browsers; yt-dlp rewrites the jar (with its own header) at exit.
  const original = '# Netscape HTTP Cookie File\n# exported by hand\n.127.0.0.1\tTRUE\t/\tFALSE\t2145916800\tSID\tsecret-session\n';
  writeFileSync(cookies, original);
  chmodSync(cookies, 0o444);
  const before = statSync(cookies).mtimeMs;
  const cacheDir = join(root, 'yt-dlp-cache');
  const dir = jobDir();
  await ytDlpDownload({ ...real, cookies, cacheDir }, url, dir, limits);
  assert.is(readFileSync(cookies, 'utf8'), original, 'yt-dlp wrote its jar to the copy, not to the original');
  assert.is(statSync(cookies).mtimeMs, before);
  assert.not.ok(existsSync(join(dir, 'cookies.txt')), 'the copy is gone once yt-dlp is');
});

Y('parallel runs get distinct private copies; a probe removes its own directory', async () => {
  const records = join(root, 'records');
  mkdirSync(records);
  const cookies = join(root, 'cookies-parallel.txt');
  writeFileSync(cookies, '# Netscape HTTP Cookie File\n');
  const tempRoot = join(root, 'probe-temp');
  mkdirSync(tempRoot);
  // What `yt-dlp -J` prints for a single item (YoutubeDL.sanitize_info of an info dict).
  const tool = writeFakeYtDlp({ stdout: [JSON.stringify({ id: 'x', title: 'X', _type: 'video' })], recordDir: records, sleepMs: 200 });
  try {
    const s: YtDlpSettings = { path: tool.path, cookies, tempRoot, cacheDir: join(root, 'cache') };
    await Promise.all([ytDlpProbe(s, 'http://127.0.0.1:1/a', { timeoutMs: 10_000 }), ytDlpProbe(s, 'http://127.0.0.1:1/b', { timeoutMs: 10_000 })]);
    const seen = readdirSync(records).map((f) => JSON.parse(readFileSync(join(records, f), 'utf8')) as { args: string[]; cookies: string | null });
    assert.is(seen.length, 2);
    const paths = seen.map((r) => r.args[r.args.indexOf('--cookies') + 1]!);
    assert.is.not(paths[0], paths[1]);
    for (const [i, r] of seen.entries()) {
      assert.is.not(paths[i], cookies, 'never the operator’s file');
      assert.ok(paths[i]!.startsWith(tempRoot), paths[i]);
      assert.is(r.cookies, '# Netscape HTTP Cookie File\n', 'the copy holds the cookies');
      assert.is(r.args[r.args.indexOf('--cache-dir') + 1], join(root, 'cache'));
      assert.not.ok(r.args.includes('--no-cache-dir'));
    }
    assert.equal(readdirSync(tempRoot), [], 'the private directories are removed');
  } finally {
    tool.remove();
  }
});

Y('a SoundCloud preview format is refused as soon as yt-dlp names it', async () => {
  const clip = await generateClip(3, 'mp3');
  // The shape of yt-dlp's `-j` line for a SoundCloud Go+ track fetched anonymously:
  // `extractor/soundcloud.py` builds format_id `<protocol>_<ext>_<abr>[_preview]` and takes
  // `duration` (the whole track's) from the API's milliseconds; preview formats get preference -10.
  const probe = '[probe] ' + JSON.stringify({ id: '1083750871', duration: 207.012 });
  const infoLine = JSON.stringify({
    id: '1083750871', title: 'Go Plus Song', uploader: 'Label', duration: 207.012, webpage_url: 'https://soundcloud.com/label/go-plus-song',
    extractor: 'soundcloud', format_id: 'http_mp3_128_preview', ext: 'mp3', acodec: 'mp3', vcodec: 'none', abr: 128, preference: -10,
  });
  const tool = writeFakeYtDlp({ stdout: [probe, infoLine], writeFile: clip });
  try {
    const err = await rejects(ytDlpDownload({ path: tool.path }, 'https://soundcloud.com/label/go-plus-song', jobDir(), limits));
    assert.ok(isMusicError(err, 'MUSIC_PREVIEW_ONLY'), String(err));
  } finally {
    tool.remove();
  }
});

Y.run();
