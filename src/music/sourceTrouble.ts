/**
 * Tells the operator when a source refuses the bot "right now" (rate limit, a player client
 * YouTube broke): one warning per kind per interval, however many requests hit it, with the
 * tool's last error line (proxy credentials already redacted by `ytDlpErrorLine`) and what
 * to do; a metric counts every occurrence.
 */
import type { Logger } from 'pino';
import type { MusicMetrics, SourceTroubleKind } from '../metrics/musicMetrics.ts';
import { MusicError } from './errors.ts';

/** What the operator can do about each kind. */
const ADVICE: Record<SourceTroubleKind, string> = {
  throttled:
    'the source is rate-limiting this server: requests wait it out (YouTube: up to an hour); pass cookies of a logged-in session (YTDLP_COOKIES) or a different IP (YTDLP_PROXY), and keep yt-dlp current',
  broken:
    'the source refuses how this yt-dlp reaches it (e.g. a YouTube player client broke): update yt-dlp first (see docs/music.md), then try cookies (YTDLP_COOKIES) or a proxy (YTDLP_PROXY)',
};

/** The kind of a "refuses right now" error, or undefined for any other error. */
export function troubleKind(err: unknown): SourceTroubleKind | undefined {
  if (!(err instanceof MusicError)) return undefined;
  if (err.code === 'MUSIC_SOURCE_THROTTLED') return 'throttled';
  if (err.code === 'MUSIC_SOURCE_BROKEN') return 'broken';
  return undefined;
}

/** Options of {@link SourceTroubleLog}. */
export interface SourceTroubleOptions {
  readonly logger: Logger;
  readonly metrics: MusicMetrics;
  readonly now: () => number;
  /** At most one warning per kind in this long (default 10 min). */
  readonly intervalMs?: number;
}

/** Counts and (rarely) reports "the source refuses right now" errors. */
export class SourceTroubleLog {
  readonly #lastWarned = new Map<SourceTroubleKind, number>();
  readonly #suppressed = new Map<SourceTroubleKind, number>();
  /** Errors already counted: the pipeline may see one error twice on its way out. */
  readonly #seen = new WeakSet<object>();

  constructor(private readonly o: SourceTroubleOptions) {}

  /** Looks at a failure; does nothing unless it is a throttled or broken source. */
  notice(err: unknown): void {
    const kind = troubleKind(err);
    if (!kind || this.#seen.has(err as object)) return;
    this.#seen.add(err as object);
    this.o.metrics.sourceTrouble(kind);
    const now = this.o.now();
    const last = this.#lastWarned.get(kind);
    if (last !== undefined && now - last < (this.o.intervalMs ?? 10 * 60_000)) {
      this.#suppressed.set(kind, (this.#suppressed.get(kind) ?? 0) + 1);
      return;
    }
    const since = this.#suppressed.get(kind) ?? 0;
    this.#lastWarned.set(kind, now);
    this.#suppressed.set(kind, 0);
    // The error's message is the tool's last error line, built without secrets (errors.ts).
    const e = err as MusicError;
    this.o.logger.warn({ kind, code: e.code, service: e.service, line: e.message, alsoSince: since, advice: ADVICE[kind] }, `media source ${kind}: ${ADVICE[kind]}`);
  }
}
