/**
 * The app's Prometheus metrics (prom-client), on a registry of their own so that two apps in
 * one process (tests) never share counters.
 *
 * Labels are closed sets (an update type, an endpoint name, an HTTP status, a reason from an
 * event schema): never a user id, a URL or a free-form message, so the number of series stays
 * small and nothing personal reaches the scrape.
 *
 * Sources: the bot's update handling (`updateTracker.ts`), the Spotify clients' `onResponse`
 * hook, the event log's subscription (`eventLogMetrics.ts`) and the music pipeline
 * ({@link MusicMetrics}). Gauges are read when scraped.
 *
 * @example
 * const metrics = createMetrics();
 * const accounts = new AccountsClient({ ...opts, onResponse: metrics.spotifyResponse });
 * routes.push(createMetricsRoute(metrics));
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createMusicMetrics, type MusicMetrics, type MusicQueueStats } from './musicMetrics.ts';

/** Every metric name starts with this. */
export const METRIC_PREFIX = 'musicbot_';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Node process metrics (memory, CPU, event loop lag, GC) with the same prefix. Default true. */
  readonly processMetrics?: boolean;
}

/** A gauge value read at scrape time: one number, or one number per label set. */
export type GaugeReading = number | ReadonlyArray<readonly [Record<string, string>, number]>;

/** The metrics of one running app. */
export interface Metrics {
  readonly registry: Registry;
  /** `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;

  readonly updates: Counter<'type' | 'outcome'>;
  readonly loginsStarted: Counter;
  readonly loginsCompleted: Counter;
  readonly loginsRejected: Counter<'reason'>;
  readonly refreshes: Counter<'outcome'>;
  readonly refreshFailures: Counter<'reason'>;
  readonly revocations: Counter<'reason'>;
  readonly unlinks: Counter;
  readonly spotifyRequests: Counter<'endpoint' | 'status'>;
  readonly eventlogAppends: Counter;
  readonly eventlogEvents: Counter<'type'>;
  /** What the music pipeline reports into (see {@link MusicMetrics}). */
  readonly music: MusicMetrics;

  /** The Spotify clients' `onResponse` hook: one call per attempt, status 0 without a response. */
  spotifyResponse(status: number, endpoint: string): void;
  /** Registers a gauge read at scrape time; a throwing reader keeps the gauge's last value. */
  gauge(name: string, help: string, labelNames: readonly string[], read: () => GaugeReading | Promise<GaugeReading>): void;
  /** Reads the download queue at scrape time (e.g. `() => music.queue.stats()`). */
  watchMusicQueue(read: () => MusicQueueStats): void;
}

/** Creates the registry and every metric of the app. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: METRIC_PREFIX + name, help, labelNames, registers: [registry] });

  const spotifyRequests = counter('spotify_requests_total', 'Spotify API and accounts calls by endpoint and HTTP status (0: no response)', ['endpoint', 'status']);
  const downloads = counter('downloads_total', 'Music jobs finished, by outcome and error code', ['outcome', 'code']);
  const downloadSeconds = new Histogram({
    name: `${METRIC_PREFIX}download_duration_seconds`,
    help: 'Time from a download job starting to its end',
    labelNames: ['outcome'],
    buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const cacheHits = counter('music_cache_hits_total', 'Tracks re-sent from the file_id cache without downloading', ['by']);
  const cacheMisses = counter('music_cache_misses_total', 'Cache lookups that found nothing (a download follows)');
  const sourceTrouble = counter('music_source_trouble_total', 'Media source refusals "right now": throttled (rate limit) or broken (update yt-dlp)', ['kind']);
  const music = createMusicMetrics({ downloads, downloadSeconds, cacheHits, cacheMisses, sourceTrouble });

  const gauge: Metrics['gauge'] = (name, help, labelNames, read) => {
    new Gauge({
      name: METRIC_PREFIX + name,
      help,
      labelNames: [...labelNames],
      registers: [registry],
      async collect() {
        let reading: GaugeReading;
        try {
          reading = await read();
        } catch {
          return; // keeps the last value: a failing reader must not fail the whole scrape
        }
        this.reset();
        if (typeof reading === 'number') this.set(reading);
        else for (const [labels, value] of reading) this.set(labels, value);
      },
    });
  };
  gauge('music_queue_jobs', 'Download jobs running and waiting', ['state'], () => {
    const s = music.queueStats();
    return s ? [[{ state: 'running' }, s.running], [{ state: 'waiting' }, s.waiting]] : [];
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    updates: counter('telegram_updates_total', 'Telegram updates handled, by update type and outcome', ['type', 'outcome']),
    loginsStarted: counter('logins_started_total', '/login attempts started (LoginStarted)'),
    loginsCompleted: counter('logins_completed_total', 'Links confirmed by /start <completion id> (LinkConfirmed)'),
    loginsRejected: counter('logins_rejected_total', 'Login attempts that ended without a link, by reason', ['reason']),
    refreshes: counter('token_refreshes_total', 'Access token refreshes, by outcome', ['outcome']),
    refreshFailures: counter('token_refresh_failures_total', 'Refreshes that failed for a while (the link stays), by reason', ['reason']),
    revocations: counter('revocations_total', 'Links revoked, by reason (invalidGrant, refreshTokenExpired)', ['reason']),
    unlinks: counter('unlinks_total', 'Links ended by /unlink'),
    spotifyRequests,
    eventlogAppends: counter('eventlog_appends_total', 'Appends written to the event log (one atomic batch member each)'),
    eventlogEvents: counter('eventlog_events_total', 'Events written to the event log, by type', ['type']),
    music,
    spotifyResponse(status, endpoint) {
      spotifyRequests.inc({ endpoint, status: String(status) });
    },
    gauge,
    watchMusicQueue(read) {
      music.readQueueFrom(read);
    },
  };
}
