/**
 * Which yt-dlp the bot runs, and whether it is too old for YouTube. yt-dlp's version is its
 * release date (`yt-dlp --version` prints `2023.03.04`; nightly builds add the time,
 * `2026.11.20.233402`; see yt-dlp's `devscripts/utils.py`, `calculate_version`), so its age
 * needs no network. YouTube breaks old versions within weeks; yt-dlp itself only nags after
 * 90 days (`update.py`, `_get_outdated_warning`), the bot warns after
 * {@link STALE_AFTER_DAYS}.
 *
 * @example
 * const version = await reportYtDlpVersion({ path: config.music.ytdlpPath, logger, env: toolEnv(process.env) });
 */
import type { Logger } from '../../log.ts';
import { scrubText } from '../../log.ts';
import { MusicError } from '../errors.ts';
import { runProcess } from './runProcess.ts';

/** A yt-dlp older than this many days gets a warning at start-up (and at each weekly check). */
export const STALE_AFTER_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;
const VERSION_TIMEOUT_MS = 30_000;

/** A parsed `yt-dlp --version`. */
export interface YtDlpVersion {
  /** As printed: `2023.03.04`, `2026.11.20.233402`. */
  readonly text: string;
  /** Midnight UTC of the release day (yt-dlp dates its versions in UTC). */
  readonly released: Date;
}

const VERSION = /^(\d{4})\.(\d{2})\.(\d{2})(?:\.\d+)?$/;

/** Reads the version from `yt-dlp --version`'s output; undefined when it is not a dated version. */
export function parseYtDlpVersion(output: string): YtDlpVersion | undefined {
  const text = output.trim().split(/\s+/)[0] ?? '';
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const released = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 2026.02.31 over into March: such a "date" is not a version.
  if (released.getUTCMonth() !== mo - 1 || released.getUTCDate() !== d) return undefined;
  return { text, released };
}

/** Whole days from the release to `now` (0 on the release day, negative for a clock behind). */
export function versionAgeDays(version: YtDlpVersion, now: number): number {
  return Math.floor((now - version.released.getTime()) / DAY_MS);
}

/**
 * The last non-empty line of a tool's output, for a log line: secrets in URLs (a proxy's
 * `user:password@`, tokens in query strings) are removed by the logger's `scrubText`, and it
 * is cut to 300 characters.
 */
export function lastLine(...outputs: string[]): string {
  const lines = outputs.join('\n').split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.at(-1) ?? '';
  return scrubText(line).slice(0, 300);
}

/** Options of {@link readYtDlpVersion}. */
export interface ReadVersionOptions {
  /** The child's whole environment (see `toolEnv.ts`). */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/**
 * Runs `<path> --version`.
 *
 * @throws {MusicError} `MUSIC_TOOL_MISSING` when yt-dlp cannot be started; `MUSIC_TIMEOUT`;
 *   an `Error` naming the last output line when it fails or prints something else.
 */
export async function readYtDlpVersion(path: string, options: ReadVersionOptions): Promise<YtDlpVersion> {
  const res = await runProcess(path, ['--version'], {
    tool: 'yt-dlp',
    timeoutMs: options.timeoutMs ?? VERSION_TIMEOUT_MS,
    env: options.env,
    ...(options.signal && { signal: options.signal }),
  });
  if (res.exitCode !== 0) throw new Error(`yt-dlp --version exited with code ${res.exitCode}: ${lastLine(res.stdout, res.stderr)}`);
  const version = parseYtDlpVersion(res.stdout);
  if (!version) throw new Error(`yt-dlp --version printed "${lastLine(res.stdout)}", not a dated version`);
  return version;
}

/** Options of {@link reportYtDlpVersion}. */
export interface ReportVersionOptions extends ReadVersionOptions {
  /** `YTDLP_PATH`. */
  readonly path: string;
  readonly logger: Logger;
  /** `YTDLP_AUTO_UPDATE`: changes what the staleness warning advises. */
  readonly autoUpdate?: boolean;
  readonly now?: () => number;
}

/**
 * Logs the version (info) and warns when it is older than {@link STALE_AFTER_DAYS} days or
 * when yt-dlp cannot be run at all. Never throws: without yt-dlp the bot still does
 * everything but music. Resolves with the version, or undefined when it could not be read
 * (or the check was cancelled).
 */
export async function reportYtDlpVersion(options: ReportVersionOptions): Promise<YtDlpVersion | undefined> {
  const { logger, path } = options;
  const now = options.now ?? Date.now;
  let version: YtDlpVersion;
  try {
    version = await readYtDlpVersion(path, options);
  } catch (err) {
    if (options.signal?.aborted) return undefined;
    if (err instanceof MusicError && err.code === 'MUSIC_TOOL_MISSING') {
      logger.warn({ path }, `yt-dlp not found at "${path}": music links cannot be downloaded. Install yt-dlp and set YTDLP_PATH (docs/music.md, "Keeping yt-dlp working")`);
    } else {
      const reason = err instanceof Error ? scrubText(err.message) : String(err);
      logger.warn({ path, reason }, 'yt-dlp does not run: music links will fail until it does (docs/music.md, "Keeping yt-dlp working")');
    }
    return undefined;
  }
  const ageDays = versionAgeDays(version, now());
  logger.info({ version: version.text, ageDays }, 'yt-dlp version');
  if (ageDays > STALE_AFTER_DAYS) {
    const advice = options.autoUpdate
      ? 'YTDLP_AUTO_UPDATE=1 did not bring a newer one (see the update warning above); update it by hand'
      : 'set YTDLP_AUTO_UPDATE=1 or update it by hand';
    logger.warn(
      { version: version.text, ageDays, staleAfterDays: STALE_AFTER_DAYS },
      `yt-dlp ${version.text} is ${ageDays} days old and YouTube breaks old versions: ${advice} (docs/music.md, "Keeping yt-dlp working")`,
    );
  }
  return version;
}
