/**
 * Lyrics in the files the downloader makes: real yt-dlp and ffmpeg on a local media page, the
 * real LRCLIB client on the fake LRCLIB, and the tags read back with the real ffprobe. M4A
 * carries them as `©lyr`, MP3 as an ID3 `USLT` frame (ffprobe names it `lyrics-<language>`;
 * ffmpeg's own `lyrics` key would have been a `TXXX`, read back as plain `lyrics`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLrclibClient } from '../../../src/lyrics/lrclib.ts';
import { createDownloader, type Downloader } from '../../../src/music/download/downloader.ts';
import type { AudioFormat } from '../../../src/music/tools/ffmpeg.ts';
import type { TrackInfo } from '../../../src/music/types.ts';
import { startFakeLrclib, type FakeLrclib } from '../../helpers/fakeLrclib.ts';
import { startMediaServer, type MediaServer } from '../../helpers/mediaServer.ts';

const T = suite('lyrics in the audio tags');
const WORDS = 'Фары на воде\nWe drive until the morning 🎤';
let media: MediaServer;
let lrclib: FakeLrclib;
let temp: string;
let page: string;

T.before(async () => {
  media = await startMediaServer();
  page = await media.addPage('/songs/night-drive', { title: 'Night Drive', artist: 'Aurora Lane', seconds: 3 });
});
T.after(async () => {
  await media.close();
});
T.before.each(async () => {
  lrclib = await startFakeLrclib();
  lrclib.add({ trackName: 'Night Drive', artistName: 'Aurora Lane', albumName: 'Coastal Lights', duration: 3, plainLyrics: WORDS });
  temp = mkdtempSync(join(tmpdir(), 'lyrics-tags-'));
});
T.after.each(async () => {
  await lrclib.close();
  rmSync(temp, { recursive: true, force: true });
});

const track: TrackInfo = { platform: 'spotify', pageUrl: 'https://open.spotify.com/track/x', title: 'Night Drive', artists: ['Aurora Lane', 'Kestrel'], album: 'Coastal Lights', durationSec: 3 };

function downloader(format: AudioFormat, lyricsTimeoutMs?: number): Downloader {
  return createDownloader({
    ytdlp: { path: 'yt-dlp', tempRoot: temp },
    ffmpegPath: 'ffmpeg',
    format,
    maxSeconds: 600,
    maxBytes: 50 * 1024 * 1024,
    tempRoot: temp,
    allowPrivateAddresses: true,
    lyrics: createLrclibClient({ baseUrl: lrclib.url }),
    ...(lyricsTimeoutMs !== undefined && { lyricsTimeoutMs }),
  });
}

function tagsOf(path: string): Record<string, string> {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', path], { encoding: 'utf8' });
  return (JSON.parse(out) as { format: { tags?: Record<string, string> } }).format.tags ?? {};
}

/** The file still decodes from start to end (a broken tag would make ffmpeg fail or skip). */
function decodes(path: string): void {
  execFileSync('ffmpeg', ['-v', 'error', '-xerror', '-i', path, '-f', 'null', '-']);
}

T('an M4A carries the lyrics LRCLIB found as ©lyr', async () => {
  const audio = await downloader('m4a').download({ url: page, track });
  try {
    assert.is(tagsOf(audio.path).lyrics, WORDS);
    assert.ok(readFileSync(audio.path).includes(Buffer.from('\u00a9lyr', 'latin1')), 'the ©lyr atom is in the file');
    decodes(audio.path);
    assert.equal(lrclib.requests[0]?.query, { track_name: 'Night Drive', artist_name: 'Aurora Lane', album_name: 'Coastal Lights', duration: '3' });
  } finally {
    await audio.dispose();
  }
});

T('an MP3 carries them as a USLT frame, next to the other ID3 tags', async () => {
  const audio = await downloader('mp3').download({ url: page, track });
  try {
    const tags = tagsOf(audio.path);
    assert.is(tags['lyrics-und'], WORDS);
    assert.is(tags.lyrics, undefined, 'not a TXXX frame');
    assert.is(tags.title, 'Night Drive');
    assert.is(tags.album, 'Coastal Lights');
    assert.ok(readFileSync(audio.path).includes(Buffer.from('USLT', 'latin1')));
    decodes(audio.path);
  } finally {
    await audio.dispose();
  }
});

T('LRCLIB not answering within its budget, or missing the song, never fails the download', async () => {
  lrclib.setMode('hang');
  const slow = await downloader('m4a', 300).download({ url: page, track });
  try {
    assert.is(tagsOf(slow.path).lyrics, undefined);
    assert.is(tagsOf(slow.path).title, 'Night Drive');
  } finally {
    await slow.dispose();
  }
  lrclib.setMode('ok');
  const other = await downloader('mp3').download({ url: page, track: { ...track, title: 'Unknown Song' } });
  try {
    assert.equal(Object.keys(tagsOf(other.path)).filter((k) => k.startsWith('lyrics')), []);
  } finally {
    await other.dispose();
  }
});

T.run();
