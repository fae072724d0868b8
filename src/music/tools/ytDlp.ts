/**
 * The yt-dlp executable, as the pipeline uses it: one run that downloads an item's best
 * audio, with yt-dlp itself refusing a live stream or an overlong item before a byte of
 * media moves, a metadata-only run (`-J`) for playlists, and searches.
 *
 * Cookies (a private copy per run, see `ytDlpRun.ts`) and proxy from the config are passed
 * on every run; the user's config files are ignored so that a stray
 * `~/.config/yt-dlp/config` cannot change what the bot does.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MusicError } from '../errors.ts';
import { runProcess, type ToolMeter } from './runProcess.ts';
import { ytDlpError } from './ytDlpErrors.ts';
import { prepareRunFiles } from './ytDlpRun.ts';

/** How yt-dlp is started. */
export interface YtDlpSettings {
  /** `YTDLP_PATH`. */
  readonly path: string;
  /** `YTDLP_COOKIES`: a Netscape cookies file (YouTube's "confirm you are not a bot"); each run reads a copy. */
  readonly cookies?: string;
  /** `YTDLP_PROXY`: `socks5://…`, `http://…`. */
  readonly proxy?: string;
  /**
   * `--cache-dir` (`<DATA_DIR>/yt-dlp-cache`): yt-dlp keeps YouTube's player code and
   * signature functions there, so a run need not fetch them again. Without it: `--no-cache-dir`.
   */
  readonly cacheDir?: string;
  /** Where runs without a job directory (searches, probes) put their private files (default the OS temp directory). */
  readonly tempRoot?: string;
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
  /** The chosen format's id (SoundCloud's Go+ previews: `hls_mp3_128_preview`, …). */
  readonly formatId?: string;
  readonly filesize?: number;
}

/** Arguments every run gets; `cookies` is the run's own copy of the cookies file. */
export function commonArgs(s: YtDlpSettings, cookies?: string): string[] {
  const args = ['--ignore-config', ...(s.cacheDir ? ['--cache-dir', s.cacheDir] : ['--no-cache-dir']), '--socket-timeout', '20'];
  if (cookies) args.push('--cookies', cookies);
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
    formatId: text(raw['format_id']),
    filesize: num(raw['filesize']) ?? num(raw['filesize_approx']),
  };
  for (const k of Object.keys(info)) if (info[k] === undefined) delete info[k];
  return info as unknown as MediaInfo;
}

/** Limits and budget of {@link ytDlpDownload}. */
export interface YtDlpDownloadOptions {
  /** yt-dlp skips an item longer than this (`--match-filter`) before downloading it. */
  readonly maxSeconds: number;
  /** `--max-filesize`. */
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Marks the line `--print pre_process:` writes, apart from the `-j` info line. */
const PROBE_MARK = '[probe] ';

/** The audio format choice: m4a/AAC first (copied without re-encoding), anything as a last resort. */
const FORMAT = 'bestaudio[ext=m4a]/bestaudio[acodec^=mp4a]/bestaudio/best';

/** Why an item must not be downloaded, from what yt-dlp says about it (raw info JSON). */
function refusal(raw: Record<string, unknown>, maxSeconds: number): MusicError | undefined {
  const info = toMediaInfo(raw);
  if (info.isLive) return new MusicError('MUSIC_LIVE_STREAM', 'the item is a live stream', { service: 'yt-dlp' });
  const seconds = num(raw['duration']);
  if (seconds !== undefined && seconds > maxSeconds) {
    return new MusicError('MUSIC_TOO_LONG', `the item is ${Math.round(seconds)} s long, the limit is ${maxSeconds} s`, { service: 'yt-dlp' });
  }
  return undefined;
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Downloads the best audio of `url` into `dir` as `source.<ext>`.
 *
 * yt-dlp enforces the limits itself: `--match-filter "!is_live & duration <=? N"` skips a
 * live or overlong item before its download starts (an item of unknown length passes; the
 * real file is measured later). A skipped item prints no info line and leaves no file, so
 * the reason is read from a line printed at the `pre_process` stage, which yt-dlp runs
 * *before* the filter (`YoutubeDL.process_video_result`: `pre_process` → `_match_entry`):
 * `--print "pre_process:%(.{id,duration,is_live,live_status})j"` (the same template syntax
 * and order in 2023.03.04 and 2026.08.19).
 *
 * @throws {MusicError} `MUSIC_LIVE_STREAM`, `MUSIC_TOO_LONG`, `MUSIC_PREVIEW_ONLY` (the chosen
 *   format is a preview), `MUSIC_TOO_LARGE` (yt-dlp's `--max-filesize` skips the item
 *   silently: no file means too large), or a classified yt-dlp error.
 */
export async function ytDlpDownload(s: YtDlpSettings, url: string, dir: string, o: YtDlpDownloadOptions): Promise<{ info: MediaInfo; file: string }> {
  let info: MediaInfo | undefined;
  let probe: Record<string, unknown> | undefined;
  const files = await prepareRunFiles(s, dir);
  const args = [
    ...commonArgs(s, files.cookies),
    '--no-playlist', '--no-progress', '--no-part',
    '-f', FORMAT,
    '--max-filesize', String(o.maxBytes),
    '--match-filter', `!is_live & duration <=? ${o.maxSeconds}`,
    '--print', `pre_process:${PROBE_MARK}%(.{id,duration,is_live,live_status})j`,
    '-j', '--no-simulate',
    '-o', join(dir, 'source.%(ext)s'),
    '--', url,
  ];
  let res;
  try {
    res = await runProcess(s.path, args, {
      tool: 'yt-dlp',
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      meter: s.meter,
      onStdoutLine(line) {
        if (line.startsWith(PROBE_MARK)) {
          probe = parseObject(line.slice(PROBE_MARK.length));
          // yt-dlp skips such an item anyway; stopping it here only saves the wait.
          return probe && refusal(probe, o.maxSeconds);
        }
        if (!line.startsWith('{')) return undefined;
        const raw = parseObject(line);
        if (!raw) return undefined;
        info = toMediaInfo(raw);
        const refused = refusal(raw, o.maxSeconds);
        if (refused) return refused;
        // SoundCloud builds `<protocol>_<ext>_<abr>_preview` for the ~30 s clip Go+ tracks
        // offer anonymous clients (`extractor/soundcloud.py`, `add_format`).
        if (info.formatId && /preview/i.test(info.formatId)) {
          return new MusicError('MUSIC_PREVIEW_ONLY', `the source offers only a preview (format ${info.formatId})`, { service: 'yt-dlp' });
        }
        return undefined;
      },
    });
  } finally {
    // The copy holds a session: gone as soon as yt-dlp is (the job directory goes later).
    if (files.cookies) await rm(files.cookies, { force: true }).catch(() => undefined);
  }
  if (res.exitCode !== 0) throw ytDlpError(res.stderr, res.exitCode);
  if (!info && probe) {
    // The filter skipped it: no info line, no file.
    throw refusal(probe, o.maxSeconds) ?? new MusicError(toMediaInfo(probe).isLive ? 'MUSIC_LIVE_STREAM' : 'MUSIC_TOO_LONG', 'yt-dlp skipped the item (match filter)', { service: 'yt-dlp' });
  }
  if (!info) throw new MusicError('MUSIC_DOWNLOAD_FAILED', 'yt-dlp printed no info', { service: 'yt-dlp' });
  const file = (await readdir(dir)).find((f) => f.startsWith('source.') && !/\.(part|ytdl|temp)$/.test(f));
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
  const files = await prepareRunFiles(s);
  const args = [...commonArgs(s, files.cookies), '-J'];
  if (o.flat) args.push('--flat-playlist');
  if (o.limit) args.push('--playlist-items', `1-${o.limit}`);
  args.push('--', url);
  const res = await runProcess(s.path, args, { tool: 'yt-dlp', timeoutMs: o.timeoutMs, signal: o.signal, meter: s.meter }).finally(() => files.dispose());
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
  const files = await prepareRunFiles(s);
  const args = [...commonArgs(s, files.cookies), '-J', '--flat-playlist', '--ignore-errors', ...limit, '--', ...urls];
  const res = await runProcess(s.path, args, { tool: 'yt-dlp', timeoutMs: o.timeoutMs, signal: o.signal, meter: s.meter }).finally(() => files.dispose());
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
