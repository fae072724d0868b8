/**
 * The port the music pipeline reports into: downloads, cache hits and queue depth. The music
 * code depends only on the {@link MusicMetrics} interface (`import type`); {@link noMusicMetrics}
 * is the default when nobody measures.
 *
 * @example
 * // in the music pipeline
 * const started = Date.now();
 * try { await send(); deps.metrics.downloadFinished({ outcome: 'sent', seconds: (Date.now() - started) / 1000 }); }
 * catch (err) { deps.metrics.downloadFinished({ outcome: 'failed', code: err.code }); }
 * if (hit) deps.metrics.cacheHit('isrc'); else deps.metrics.cacheMiss();
 */
import type { Counter, Histogram } from 'prom-client';

/** How a download job ended. */
export type DownloadOutcome = 'sent' | 'failed' | 'cancelled';

/** How a cached `file_id` was found. */
export type CacheHitKind = 'key' | 'isrc' | 'source';

/**
 * How a media source refused "right now": `throttled` (rate limit, captcha) or `broken`
 * (yt-dlp's way in no longer works, e.g. a YouTube player client: update yt-dlp).
 */
export type SourceTroubleKind = 'throttled' | 'broken';

/** Jobs in the download queue right now. */
export interface MusicQueueStats {
  readonly running: number;
  readonly waiting: number;
}

/** What the music pipeline tells the metrics. Every method is cheap and never throws. */
export interface MusicMetrics {
  /**
   * A download job ended. `code` is the job's stable error code (`MUSIC_TIMEOUT`, …) when it
   * failed; anything that does not look like one is counted as `OTHER`.
   */
  downloadFinished(result: { outcome: DownloadOutcome; code?: string; seconds?: number }): void;
  /** A track was re-sent from the `file_id` cache, found by canonical key, ISRC or source. */
  cacheHit(by: CacheHitKind): void;
  /** A cache lookup found nothing, so a download follows. */
  cacheMiss(): void;
  /** The queue's depth changed (push style; the app may read `queue.stats()` instead). */
  queueDepth(stats: MusicQueueStats): void;
  /** A media source refused a request "right now" (counted per occurrence; the log warns rarely). */
  sourceTrouble(kind: SourceTroubleKind): void;
}

/** A {@link MusicMetrics} that records nothing. */
export const noMusicMetrics: MusicMetrics = Object.freeze({
  downloadFinished() {},
  cacheHit() {},
  cacheMiss() {},
  queueDepth() {},
  sourceTrouble() {},
});

const CODE = /^[A-Z][A-Z0-9_]{1,40}$/;
const OUTCOMES: ReadonlySet<string> = new Set<DownloadOutcome>(['sent', 'failed', 'cancelled']);
const HIT_KINDS: ReadonlySet<string> = new Set<CacheHitKind>(['key', 'isrc', 'source']);
const TROUBLE_KINDS: ReadonlySet<string> = new Set<SourceTroubleKind>(['throttled', 'broken']);

/** The prom-client side of {@link MusicMetrics}, with the queue reading the gauge needs. */
export interface RecordingMusicMetrics extends MusicMetrics {
  /** The last pushed depth, or the registered reader's answer; undefined when neither exists. */
  queueStats(): MusicQueueStats | undefined;
  readQueueFrom(read: () => MusicQueueStats): void;
}

/** Builds the recording implementation on the given prom-client metrics. */
export function createMusicMetrics(m: {
  downloads: Counter<'outcome' | 'code'>;
  downloadSeconds: Histogram<'outcome'>;
  cacheHits: Counter<'by'>;
  cacheMisses: Counter;
  sourceTrouble: Counter<'kind'>;
}): RecordingMusicMetrics {
  let pushed: MusicQueueStats | undefined;
  let reader: (() => MusicQueueStats) | undefined;
  return {
    downloadFinished({ outcome, code, seconds }) {
      // Labels come from the caller: keep them a closed set whatever it passes.
      const o = OUTCOMES.has(outcome) ? outcome : 'failed';
      m.downloads.inc({ outcome: o, code: code === undefined ? '' : CODE.test(code) ? code : 'OTHER' });
      if (seconds !== undefined && Number.isFinite(seconds) && seconds >= 0) m.downloadSeconds.observe({ outcome: o }, seconds);
    },
    cacheHit(by) {
      m.cacheHits.inc({ by: HIT_KINDS.has(by) ? by : 'key' });
    },
    cacheMiss() {
      m.cacheMisses.inc();
    },
    sourceTrouble(kind) {
      if (TROUBLE_KINDS.has(kind)) m.sourceTrouble.inc({ kind });
    },
    queueDepth(stats) {
      pushed = { running: stats.running, waiting: stats.waiting };
    },
    queueStats() {
      if (reader) return reader();
      return pushed;
    },
    readQueueFrom(read) {
      reader = read;
    },
  };
}
