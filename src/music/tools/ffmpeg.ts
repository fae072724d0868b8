/**
 * ffmpeg, as the pipeline uses it: one run that turns a downloaded source into the file we
 * send (audio copied when the codec allows it, else encoded), with tags and the cover
 * embedded, and writes the 320×320 JPEG thumbnail in the same pass.
 */
import { stat, unlink } from 'node:fs/promises';
import { MusicError } from '../errors.ts';
import { runProcess, type ToolMeter } from './runProcess.ts';

/** The two formats Telegram's audio player takes. */
export type AudioFormat = 'm4a' | 'mp3';

/** Tags written into the file. */
export interface AudioTags {
  readonly title: string;
  readonly artist?: string;
  readonly album?: string;
  readonly isrc?: string;
  /**
   * Unsynchronised lyrics. M4A gets them here (the iPod muxer writes `lyrics` as `©lyr`); MP3
   * after ffmpeg, by `addId3Lyrics` (ffmpeg's ID3 writer has no `USLT` frame).
   */
  readonly lyrics?: string;
}

/** The image formats a cover may have; checked by its first bytes before ffmpeg sees it. */
export type CoverFormat = 'jpeg' | 'png' | 'webp';

/** A cover image on disk and its format (ffmpeg is told it: it never guesses). */
export interface CoverImage {
  readonly path: string;
  readonly format: CoverFormat;
}

/** Input of {@link ffmpegFinalize}. */
export interface FinalizeInput {
  readonly ffmpegPath: string;
  readonly source: string;
  /** A cover image, or none. */
  readonly cover?: CoverImage;
  readonly output: string;
  /** Where the thumbnail goes when there is a cover. */
  readonly thumbnail: string;
  readonly format: AudioFormat;
  /** Copy the audio stream (its codec already fits `format`). */
  readonly copy: boolean;
  readonly tags: AudioTags;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly meter?: ToolMeter;
}

/** What came out. */
export interface FinalizeResult {
  /** Seconds of audio, from ffmpeg's own count; undefined if it printed none. */
  readonly durationSec: number | undefined;
  /** The thumbnail path, when one was written and fits Telegram's limits. */
  readonly thumbnail: string | undefined;
}

/** Telegram's thumbnail limit. */
export const MAX_THUMBNAIL_BYTES = 200 * 1024;

/** The ffmpeg arguments of {@link ffmpegFinalize}; exported for tests. */
export function finalizeArgs(i: FinalizeInput): string[] {
  // Inputs are local files only: a downloaded playlist or a crafted image must not make
  // ffmpeg open URLs (http, concat, subfile, …) on our behalf.
  const args = ['-hide_banner', '-nostdin', '-y', '-protocol_whitelist', 'file', '-i', i.source];
  if (i.cover) {
    // The cover's demuxer is named, so ffmpeg never probes an outsider's file for a format.
    args.push('-protocol_whitelist', 'file', '-f', `${i.cover.format}_pipe`, '-i', i.cover.path, '-filter_complex',
      '[1:v]split=2[a][b];[a]scale=600:600:force_original_aspect_ratio=decrease[cover];' +
      '[b]scale=320:320:force_original_aspect_ratio=increase,crop=320:320[thumb]');
  }
  args.push('-map', '0:a:0', '-map_metadata', '-1', '-map_chapters', '-1');
  if (i.copy) args.push('-c:a', 'copy');
  else if (i.format === 'm4a') args.push('-c:a', 'aac', '-b:a', '192k');
  else args.push('-c:a', 'libmp3lame', '-q:a', '2');
  if (i.cover) {
    args.push('-map', '[cover]', '-c:v', 'mjpeg', '-q:v', '3', '-disposition:v:0', 'attached_pic');
    if (i.format === 'mp3') args.push('-metadata:s:v', 'title=Album cover', '-metadata:s:v', 'comment=Cover (front)');
  }
  const tag = (k: string, v: string | undefined) => v && args.push('-metadata', `${k}=${v}`);
  tag('title', i.tags.title);
  tag('artist', i.tags.artist);
  tag('album', i.tags.album);
  if (i.format === 'mp3') {
    tag('TSRC', i.tags.isrc);
    args.push('-id3v2_version', '3', '-f', 'mp3', i.output);
  } else {
    tag('lyrics', i.tags.lyrics);
    args.push('-f', 'ipod', i.output);
  }
  if (i.cover) args.push('-map', '[thumb]', '-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '4', '-f', 'image2', i.thumbnail);
  return args;
}

/** Seconds from `HH:MM:SS.xx`. */
function clock(h: string, m: string, s: string): number {
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** The audio length ffmpeg reports: the last progress `time=`, else the input `Duration:`. */
export function parseFfmpegDuration(stderr: string): number | undefined {
  const times = [...stderr.matchAll(/time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g)];
  const last = times.at(-1);
  if (last) return clock(last[1]!, last[2]!, last[3]!);
  const d = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  return d ? clock(d[1]!, d[2]!, d[3]!) : undefined;
}

/**
 * Runs ffmpeg once for the final file and the thumbnail.
 *
 * @throws {MusicError} `MUSIC_DOWNLOAD_FAILED` when ffmpeg fails (the last stderr line is
 *   in the message), `MUSIC_TOOL_MISSING`, `MUSIC_TIMEOUT`, or the cancel reason.
 */
export async function ffmpegFinalize(i: FinalizeInput): Promise<FinalizeResult> {
  const res = await runProcess(i.ffmpegPath, finalizeArgs(i), { tool: 'ffmpeg', timeoutMs: i.timeoutMs, signal: i.signal, meter: i.meter });
  if (res.exitCode !== 0) {
    const line = res.stderr.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
    throw new MusicError('MUSIC_DOWNLOAD_FAILED', `ffmpeg exited ${res.exitCode ?? 'by signal'}: ${line}`, { service: 'ffmpeg' });
  }
  let thumbnail: string | undefined;
  if (i.cover) {
    const size = await stat(i.thumbnail).then((s) => s.size, () => 0);
    if (size > 0 && size <= MAX_THUMBNAIL_BYTES) thumbnail = i.thumbnail;
    else await unlink(i.thumbnail).catch(() => undefined);
  }
  const duration = parseFfmpegDuration(res.stderr);
  return { durationSec: duration === undefined ? undefined : Math.round(duration), thumbnail };
}
