/**
 * The real ffmpeg: one pass makes the tagged file and the 320×320 thumbnail, copying AAC and
 * encoding the rest; durations come from ffmpeg's own count.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ffmpegFinalize, finalizeArgs, parseFfmpegDuration } from '../../../src/music/tools/ffmpeg.ts';
import { generateClip, generateCover } from '../../helpers/mediaServer.ts';
import { jpegSize } from '../../helpers/musicFixtures.ts';

const F = suite('ffmpeg finalize');
let dir: string;
F.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'ffmpeg-test-'));
});
F.after.each(() => rmSync(dir, { recursive: true, force: true }));

F('AAC is copied into M4A with tags and cover; the thumbnail is a 320×320 JPEG under 200 kB', async () => {
  const out = join(dir, 'a.m4a');
  const res = await ffmpegFinalize({
    ffmpegPath: 'ffmpeg', source: await generateClip(2, 'm4a'), cover: { path: await generateCover(), format: 'jpeg' }, output: out, thumbnail: join(dir, 't.jpg'),
    format: 'm4a', copy: true, tags: { title: 'Tïtle', artist: 'Ärtist', album: 'Album' }, timeoutMs: 60_000,
  });
  assert.is(res.durationSec, 2);
  const thumb = readFileSync(res.thumbnail!);
  assert.ok(thumb.length <= 200 * 1024);
  assert.equal(jpegSize(thumb), { width: 320, height: 320 });
  const file = readFileSync(out);
  assert.ok(file.includes(Buffer.from('Tïtle')) && file.includes(Buffer.from('Ärtist')) && file.includes(Buffer.from('covr')));
});

F('the MP3 option writes ID3 tags with the ISRC (TSRC)', async () => {
  const out = join(dir, 'a.mp3');
  const res = await ffmpegFinalize({
    ffmpegPath: 'ffmpeg', source: await generateClip(2, 'webm'), output: out, thumbnail: join(dir, 't.jpg'),
    format: 'mp3', copy: false, tags: { title: 'T', artist: 'A', isrc: 'QZABC2400003' }, timeoutMs: 60_000,
  });
  assert.is(res.thumbnail, undefined, 'no cover, no thumbnail');
  const file = readFileSync(out);
  assert.is(file.subarray(0, 3).toString('latin1'), 'ID3');
  assert.ok(file.includes(Buffer.from('TSRC')) && file.includes(Buffer.from('QZABC2400003')));
});

F('a broken source fails with MUSIC_DOWNLOAD_FAILED naming ffmpeg', async () => {
  const err = await ffmpegFinalize({
    ffmpegPath: 'ffmpeg', source: join(dir, 'missing.m4a'), output: join(dir, 'o.m4a'), thumbnail: join(dir, 't.jpg'),
    format: 'm4a', copy: true, tags: { title: 'T' }, timeoutMs: 60_000,
  }).then(
    (): { code: string; message: string } => assert.unreachable('should fail') as never,
    (e: unknown) => e as { code: string; message: string },
  );
  assert.is(err.code, 'MUSIC_DOWNLOAD_FAILED');
  assert.match(err.message, 'ffmpeg exited');
});

F('arguments: audio copied or encoded, metadata of the source dropped', () => {
  const base = { ffmpegPath: 'ffmpeg', source: 's', output: 'o', thumbnail: 't', tags: { title: 'T' }, timeoutMs: 1 };
  assert.ok(finalizeArgs({ ...base, format: 'm4a', copy: true }).join(' ').includes('-c:a copy'));
  assert.ok(finalizeArgs({ ...base, format: 'm4a', copy: false }).join(' ').includes('-c:a aac'));
  assert.ok(finalizeArgs({ ...base, format: 'mp3', copy: false }).join(' ').includes('-c:a libmp3lame'));
  assert.ok(finalizeArgs({ ...base, format: 'm4a', copy: true }).join(' ').includes('-map_metadata -1'));
});

F('a cover is read only as the format its first bytes showed: ffmpeg is told it and probes nothing', async () => {
  const png = join(dir, 'cover.img');
  copyFileSync(await generateCover(), png);
  const args = finalizeArgs({ ffmpegPath: 'ffmpeg', source: 's', cover: { path: png, format: 'png' }, output: 'o', thumbnail: 't', format: 'm4a', copy: true, tags: { title: 'T' }, timeoutMs: 1 });
  // Both inputs may open local files only (a downloaded playlist or image never makes ffmpeg fetch a URL).
  assert.equal(args.slice(args.indexOf('-protocol_whitelist'), args.indexOf(png) + 1), ['-protocol_whitelist', 'file', '-i', 's', '-protocol_whitelist', 'file', '-f', 'png_pipe', '-i', png]);
  const err = await ffmpegFinalize({
    ffmpegPath: 'ffmpeg', source: await generateClip(1, 'm4a'), cover: { path: png, format: 'png' }, output: join(dir, 'q.m4a'), thumbnail: join(dir, 'q.jpg'),
    format: 'm4a', copy: true, tags: { title: 'T' }, timeoutMs: 60_000,
  }).then(() => undefined, (e: unknown) => e as { code: string });
  assert.is(err?.code, 'MUSIC_DOWNLOAD_FAILED', 'a JPEG is not accepted as a PNG');
});

F('durations are read from progress, else from the input header', () => {
  assert.is(parseFfmpegDuration('Duration: 00:03:05.50, start\nsize= 1kB time=00:03:05.49 bitrate'), 185.49);
  assert.is(parseFfmpegDuration('  Duration: 01:00:00.00, start: 0'), 3600);
  assert.is(parseFfmpegDuration('nothing'), undefined);
});

F.run();
