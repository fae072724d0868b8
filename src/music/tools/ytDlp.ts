/**
 * The yt-dlp executable, as the pipeline uses it: one run that prints the item's info JSON
 * and then downloads its best audio (so a live stream or an overlong video is refused
 * before a byte of media moves), a metadata-only run (`-J`) for playlists, and searches.
 *
 * Cookies and proxy from the config are passed on every run; the user's config files are
 * ignored so that a stray `~/.config/yt-dlp/config` cannot change what the bot does.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MusicError } from '../errors.ts';
import { runProcess, type ToolMeter } from './runProcess.ts';
import { ytDlpError } from './ytDlpErrors.ts';

/** How yt-dlp is started. */
export interface YtDlpSettings {
  /** `YTDLP_PATH`. */
  readonly path: string;
  /** `YTDLP_COOKIES`: a Netscape cookies file (YouTube's "confirm you are not a bot"). */
  readonly cookies?: string;
  /** `YTDLP_PROXY`: `socks5://…`, `http://…`. */
  readonly proxy?: string;
  readonly meter?: ToolMeter;
}

/** What yt-dlp's info JSON says about one item (only the fields we use). */
export interface MediaInfo {
  readonly id: string;
  readonly title: string;
  /** Music metadata when the site has it (YouTube Music, SoundCloud, JSON-LD `byArtist`). */
  readonly track?: string;
  readonly artist?: string;
  readonly album?: string;
  readonly uploader?: string;
  readonly durationSec?: number;
  readonly isLive: boolean;
  readonly thumbnail?: string;
  readonly webpageUrl: string;
  /** Audio codec and container of the chosen format, when known. */
  readonly acodec?: string;
  readonly ext?: string;
  readonly filesize?: number;
}

/** Arguments every run gets. */
export function commonArgs(s: YtDlpSettings): string[] {
  const args = ['--ignore-config', '--no-cache-dir', '--socket-timeout', '20'];
  if (s.cookies) args.push('--cookies', s.cookies);
  if (s.proxy) args.push('--proxy', s.proxy);
  return args;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/** Reads the fields of {@link MediaInfo} from one info JSON object. */
export function toMediaInfo(raw: Record<string, unknown>): MediaInfo {
  const duration = num(raw['duration']);
  const live = raw['is_live'] === true || raw['live_status'] === 'is_live' || raw['live_status'] === 'is_upcoming';
  const info: Record<string, unknown> = {
    id: text(raw['id']) ?? 'media',
    title: text(raw['title']) ?? text(raw['fulltitle']) ?? 'Unknown',
    track: text(raw['track']),
    artist: text(raw['artist']) ?? text(raw['creator']),
    album: text(raw['album']),
    uploader: text(raw['uploader']) ?? text(raw['channel']),
    durationSec: duration === undefined ? undefined : Math.round(duration),
    isLive: live,
    thumbnail: text(raw['thumbnail']),
    webpageUrl: text(raw['webpage_url']) ?? text(raw['original_url']) ?? '',
    acodec: text(raw['acodec']),
    ext: text(raw['ext']),
    filesize: num(raw['filesize']) ?? num(raw['filesize_approx']),
  };
  for (const k of Object.keys(info)) if (info[k] === undefined) delete info[k];
  return info as unknown as MediaInfo;
}

/** Limits and budget of {@link downloadAudio}. */
export interface YtDlpDownloadOptions {
  /** Refused before download when the info says longer. */
  readonly maxSeconds: number;
  /** `--max-filesize`. */
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Downloads the best audio of `url` into `dir` as `source.<ext>`. The info line arrives
 * before the download starts; a live stream or an item over `maxSeconds` stops the run
 * there.
 *
 * @throws {MusicError} `MUSIC_LIVE_STREAM`, `MUSIC_TOO_LONG`, `MUSIC_TOO_LARGE` (yt-dlp's
 *   `--max-filesize` skips the item silently: no file means too large), or a classified
 *   yt-dlp error.
 */
export async function ytDlpDownload(s: YtDlpSettings, url: string, dir: string, o: YtDlpDownloadOptions): Promise<{ info: MediaInfo; file: string }> {
  let info: MediaInfo | undefined;
  const args = [
    ...commonArgs(s),
    '--no-playlist', '--no-progress', '--no-part',
    '-f', 'bestaudio[ext=m4a]/bestaudio[acodec^=mp4a]/bestaudio/best',
    '--max-filesize', String(o.maxBytes),
    '-j', '--no-simulate',
    '-o', join(dir, 'source.%(ext)s'),
    '--', url,
  ];
  const res = await runProcess(s.path, args, {
    tool: 'yt-dlp',
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    meter: s.meter,
    onStdoutLine(line) {
      if (!line.startsWith('{')) return undefined;
      try {
        info = toMediaInfo(JSON.parse(line) as Record<string, unknown>);
      } catch {
        return undefined;
      }
      if (info.isLive) return new MusicError('MUSIC_LIVE_STREAM', 'the item is a live stream', { service: 'yt-dlp' });
      if (info.durationSec !== undefined && info.durationSec > o.maxSeconds) {
        return new MusicError('MUSIC_TOO_LONG', `the item is ${info.durationSec} s long, the limit is ${o.maxSeconds} s`, { service: 'yt-dlp' });
      }
      return undefined;
    },
  });
  if (res.exitCode !== 0) throw ytDlpError(res.stderr, res.exitCode);
  const file = (await readdir(dir)).find((f) => f.startsWith('source.') && !/\.(part|ytdl|temp)$/.test(f));
  if (!info) throw new MusicError('MUSIC_DOWNLOAD_FAILED', 'yt-dlp printed no info', { service: 'yt-dlp' });
  if (!file) throw new MusicError('MUSIC_TOO_LARGE', `yt-dlp skipped the download (over ${o.maxBytes} bytes)`, { service: 'yt-dlp' });
  return { info, file: join(dir, file) };
}

/**
 * Info JSON of `url` without downloading (`-J`): with `flat`, a playlist's first `limit`
 * entries unresolved (fast).
 */
export async function ytDlpProbe(
  s: YtDlpSettings,
  url: string,
  o: { timeoutMs: number; signal?: AbortSignal; flat?: boolean; limit?: number },
): Promise<Record<string, unknown>> {
  const args = [...commonArgs(s), '-J'];
  if (o.flat) args.push('--flat-playlist');
  if (o.limit) args.push('--playlist-items', `1-${o.limit}`);
  args.push('--', url);
  const res = await runProcess(s.path, args, { tool: 'yt-dlp', timeoutMs: o.timeoutMs, signal: o.signal, meter: s.meter });
  if (res.exitCode !== 0) throw ytDlpError(res.stderr, res.exitCode);
  try {
    return JSON.parse(res.stdout) as Record<string, unknown>;
  } catch (err) {
    throw new MusicError('MUSIC_DOWNLOAD_FAILED', 'yt-dlp printed unreadable JSON', { service: 'yt-dlp', cause: err });
  }
}

/**
 * Runs several searches (or any URLs) in one yt-dlp process with `-J --flat-playlist`:
 * one JSON document per line, in order. Failed ones are skipped (`--ignore-errors`).
 */
export async function ytDlpSearchMany(
  s: YtDlpSettings,
  urls: readonly string[],
  o: { timeoutMs: number; signal?: AbortSignal; items?: number },
): Promise<Record<string, unknown>[]> {
  // `-I 1:N`: without an item limit a search keeps fetching continuation pages.
  const limit = o.items ? ['-I', `1:${o.items}`] : [];
  const args = [...commonArgs(s), '-J', '--flat-playlist', '--ignore-errors', ...limit, '--', ...urls];
  const res = await runProcess(s.path, args, { tool: 'yt-dlp', timeoutMs: o.timeoutMs, signal: o.signal, meter: s.meter });
  const docs: Record<string, unknown>[] = [];
  for (const line of res.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      docs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A truncated line: that search gave nothing usable.
    }
  }
  if (docs.length === 0 && res.exitCode !== 0) throw ytDlpError(res.stderr, res.exitCode);
  return docs;
}
