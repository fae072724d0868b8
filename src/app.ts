/**
 * The composition root: builds every part from the config, in dependency order, and stops
 * them in an order that loses nothing. `main.ts` only reads the environment, calls
 * {@link startApp} and handles signals; tests start the same app against local fakes.
 *
 * Start: storage – LevelDB under `DATA_DIR`, or PostgreSQL with `DATABASE_URL` (event log + vault
 * + music cache; key rotation, and on LevelDB vault compaction; `src/storage/openStorage.ts`) →
 * metrics → Spotify clients → link service → music pipeline (and, in the background, the
 * yt-dlp version check and update) → bot → HTTP server (health, metrics, OAuth callback,
 * webhook) → control socket → Telegram (`getMe`, retried while the network fails, see
 * `src/lifecycle/telegramStartup.ts`) → sweeper → updates. The HTTP server comes before Telegram so
 * probes get `/readyz` 503 while Telegram cannot be reached; until `getMe` has answered, the
 * OAuth callback answers 503 (it needs the bot's username) and the webhook route 503 too.
 *
 * Roles (`BOT_ROLE`, docs/operations.md#scale-out): `all` starts all of the above; `web` the same
 * but its downloads are queued in PostgreSQL for workers; `worker` stops after the HTTP server
 * (health and metrics only): no Telegram start-up, no sweeper, no updates, only queued downloads.
 *
 * Stop (`stop()`, see `src/lifecycle/shutdown.ts`): stop taking updates (polling or webhook) →
 * wait for updates in hand → close HTTP (in-flight callbacks finish) → control socket →
 * downloads → yt-dlp upkeep → link lanes and sweeper → vault compaction → storage. Waiting
 * steps share one grace period; closing steps always run, so the data dir is released even
 * when work is cut off.
 */
import { createBot, type BotApp, type BotOptions } from './bot/createBot.ts';
import { createMusicPort } from './bot/musicChat/musicPort.ts';
import { MemoryChoiceStore, type ChoiceStore } from './bot/musicChat/choiceStore.ts';
import { MusicJobRunner } from './bot/musicChat/jobRunner.ts';
import { LinkSeal } from './bot/musicChat/linkSeal.ts';
import { PgChoiceStore } from './bot/musicChat/pgChoiceStore.ts';
import { PgMusicJobs } from './bot/musicChat/pgMusicJobs.ts';
import { PgSendAllRuns } from './bot/musicChat/pgSendAllRuns.ts';
import { NotifierRelay } from './bot/notifier.ts';
import { CALLBACK_PATH, type Config } from './config.ts';
import { createCallbackRoute } from './http/callbackRoute.ts';
import { createHealthRoutes } from './http/healthRoutes.ts';
import { statusPage } from './http/responses.ts';
import type { Route } from './http/route.ts';
import { createHttpServer, type HttpServer } from './http/server.ts';
import { NotLinkedError } from './link/errors.ts';
import { LinkService } from './link/linkService.ts';
import { linkProjections } from './link/projections.ts';
import type { Logger } from './log.ts';
import { createLrclibClient } from './lyrics/lrclib.ts';
import { createMusicService, type MusicServiceOptions } from './music/musicService.ts';
import { writeBackup } from './backup/backup.ts';
import { startControlServer } from './backup/controlSocket.ts';
import { controlSocketPath } from './storage/dataDir.ts';
import { openStorage, type AppStorage } from './storage/openStorage.ts';
import { levelCheckpoints, watchEventLog } from './metrics/eventLogMetrics.ts';
import { rewrapIfRotating } from './storage/keyRotation.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { createMetricsRoute } from './metrics/metricsRoute.ts';
import { runShutdown, type ShutdownReport, type ShutdownStep } from './lifecycle/shutdown.ts';
import { connectTelegram } from './lifecycle/telegramStartup.ts';
import { trackUpdates } from './metrics/updateTracker.ts';
import { compactVault, scheduleVaultCompaction } from './storage/vaultCompaction.ts';
import { startYtDlpUpkeep } from './music/tools/ytDlpUpkeep.ts';
import { AccountsClient } from './spotify/accountsClient.ts';
import { SpotifyAppHealth } from './spotify/appHealth.ts';
import { createProfileReader } from './spotify/profile.ts';
import { WebApiClient } from './spotify/webApiClient.ts';

/** A running app. */
export interface RunningApp {
  /** LevelDB or PostgreSQL, as configured. */
  readonly storage: AppStorage;
  readonly http: HttpServer;
  readonly bot: BotApp;
  readonly links?: LinkService<unknown>;
  readonly metrics: Metrics;
  /** The port the HTTP server listens on (useful with `HTTP_PORT=0`). */
  readonly port: number;
  /**
   * Stops taking updates, lets work in hand finish within the grace period (default
   * {@link DEFAULT_SHUTDOWN_GRACE_MS}), closes HTTP and LevelDB. Idempotent; never throws.
   */
  stop(options?: { graceMs?: number }): Promise<ShutdownReport>;
}

/** Test and benchmark knobs; production passes only `signal`. */
export interface AppOptions {
  /**
   * Aborted by a stop signal during start-up: waiting for Telegram ends, what was started is
   * stopped, and {@link startApp} rejects with `StartupAbortedError`.
   */
  signal?: AbortSignal;
  bot?: BotOptions;
  /** How often expiries, reminders and crash recovery run (default 30 s). */
  sweepIntervalMs?: number;
  /** Node process metrics on `/metrics` (default true). */
  processMetrics?: boolean;
  /** Delay between an append that shredded a data key and the vault compaction (default 60 s). */
  vaultCompactionDelayMs?: number;
  /** The music service's knobs without variables (tests point YouTube pages at a local server). */
  music?: MusicServiceOptions;
}

/** How long waiting for in-flight work may take in all, unless `stop()` is told otherwise. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 15_000;

/** Names of the stop steps, in the order they run. */
const STOP_ORDER = ['bot', 'updates', 'http', 'control', 'downloads', 'music', 'ytdlp', 'links', 'compaction', 'store'] as const;
type StopStepName = (typeof STOP_ORDER)[number];

/**
 * Starts everything. Throws `DataDirLockedError` when another process holds the data dir,
 * `MasterKeyMismatchError` for a wrong `TOKEN_ENCRYPTION_KEY` and `TelegramTokenRejectedError`
 * for a `BOT_TOKEN` Telegram refuses (each one readable line), `StartupAbortedError` when
 * `options.signal` aborts while Telegram is still being reached.
 */
export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<RunningApp> {
  for (const feature of Object.values(config.features)) if (!feature.enabled) logger.info(feature.reason);

  const { role } = config;
  // A download worker takes no updates and no OAuth callbacks: it runs queued jobs only.
  const takesUpdates = role !== 'worker';
  logger.info({ role }, 'starting');
  const storage = await openStorage(config, logger);
  const { store, vault } = storage.links;
  const steps = new Map<StopStepName, ShutdownStep>();
  const stopStep = (name: StopStepName, kind: ShutdownStep['kind'], run: ShutdownStep['run']) => steps.set(name, { name, kind, run });
  const stopAll = (graceMs: number) => runShutdown(STOP_ORDER.flatMap((n) => steps.get(n) ?? []), { graceMs, logger });
  stopStep('store', 'close', () => storage.close());
  try {
    await rewrapIfRotating(vault, config.storage.previousMasterKeys.length, logger);
    const { level } = storage;
    if (level) {
      // Drops data keys shredded (or re-wrapped) before the last stop from the LevelDB files.
      await compactVault(level.db);
      const compaction = scheduleVaultCompaction(level, logger, { delayMs: options.vaultCompactionDelayMs });
      stopStep('compaction', 'close', () => compaction.stop());
    }

    const metrics = createMetrics({ processMetrics: options.processMetrics });
    const projectionNames = linkProjections.map((p) => p.name);
    let unwatch = (): void => {};
    stopStep('store', 'close', async () => {
      unwatch();
      await storage.close();
    });

    const { spotify: sc } = config;
    const onResponse = metrics.spotifyResponse;
    const accounts = config.features.spotify.enabled
      ? new AccountsClient({ accountsUrl: sc.accountsUrl, clientId: sc.clientId!, clientSecret: sc.clientSecret!, redirectUri: sc.redirectUri ?? '', onResponse })
      : undefined;
    const relay = new NotifierRelay();
    // App-wide Spotify refusals (the owner's lapsed Premium): one warning, and a /readyz detail.
    const spotifyHealth = new SpotifyAppHealth({ logger: logger.child({ module: 'spotify' }) });
    // The link service reads `GET /me` on its own, so it exists before the Web API client that
    // reads with its tokens.
    const links =
      accounts && config.features.spotifyLogin.enabled
        ? new LinkService({ store, vault, ...(storage.shared && { shared: storage.shared }), accounts, profiles: createProfileReader({ apiUrl: sc.apiUrl, onResponse, appStatus: spotifyHealth.report.bind(spotifyHealth) }), notifier: relay, logger })
        : undefined;
    // Counted from this process's own appends: each process counts what it wrote.
    unwatch = watchEventLog(
      { headPosition: () => storage.headPosition(), subscribe: (listener) => links?.onAppended(listener) ?? (() => {}) },
      metrics,
      projectionNames,
      level && levelCheckpoints(level),
    );
    const spotify = accounts
      ? new WebApiClient({
          apiUrl: sc.apiUrl,
          getAccessToken: links ? links.accessToken.bind(links) : () => Promise.reject(new NotLinkedError('unlinked')),
          appToken: (opts) => accounts.clientCredentialsToken(opts),
          onResponse,
          appStatus: spotifyHealth.report.bind(spotifyHealth),
        })
      : undefined;

    // LRCLIB for /lyrics and the lyrics tag of downloads; off when LRCLIB_API_URL is empty.
    const lyrics = config.music.lrclibApiUrl ? createLrclibClient({ baseUrl: config.music.lrclibApiUrl }) : undefined;
    // The file_id cache lives with the rest of the storage, so backups include it.
    // The text search also asks Spotify's catalogue, with the app's token, when Spotify is configured.
    const spotifySearch = accounts && { apiUrl: sc.apiUrl, appToken: (o?: { forceRefresh?: boolean }) => accounts.clientCredentialsToken(o) };
    const music = createMusicService({ config, cache: storage.audioCache, spotify, ...(spotifySearch && { spotifySearch }), ...(lyrics && { lyrics }), logger, metrics: metrics.music, ...(options.music && { options: options.music }) });
    metrics.watchMusicQueue(() => music.queue.stats());
    // With PostgreSQL, choices and the download queue are shared: the worker that offers a
    // choice, or runs a job, is rarely the instance that took the update.
    const { database } = storage;
    // Links kept in the shared database are sealed: a private link's URL is its secret.
    const seal = new LinkSeal([config.storage.masterKey, ...config.storage.previousMasterKeys]);
    const choices: ChoiceStore = database ? new PgChoiceStore(database.pool, { schema: database.musicSchema, seal }) : new MemoryChoiceStore();
    const storageChatId = config.telegram.storageChatId;
    // The bot is built below; jobs read its Bot API (flood control, retries) when they run.
    // Without a database the music port runs jobs in this process with the updates' own Bot API.
    let botApi: (() => BotApp['bot']['api']) | undefined;
    const jobs = config.storage.database
      ? await PgMusicJobs.open({
          connectionString: config.storage.database.url,
          schema: `${config.storage.database.schema}_queue`,
          globalConcurrency: config.music.downloadGlobalConcurrency ?? 4,
          runner: new MusicJobRunner({ api: () => botApi!(), service: music, choices, limits: music.limits, ...(storageChatId !== undefined && { storageChatId }) }),
          logger: logger.child({ module: 'queue' }),
          seal,
        })
      : undefined;
    if (jobs) {
      // Read from the database at scrape time: every instance reports the same shared depth.
      metrics.gauge('music_shared_queue_jobs', 'Download jobs running and waiting in the shared PostgreSQL queue (the same in every instance)', ['state'], async () => {
        const c = await jobs.counts();
        return [[{ state: 'running' }, c.running], [{ state: 'waiting' }, c.waiting]];
      });
      // A stopping worker lets its jobs finish within the grace period, then hands them back.
      stopStep('downloads', 'close', (remaining) => jobs.close(Math.max(0, remaining - 1_000)));
    } else stopStep('downloads', 'wait', () => music.queue.idle()); // let jobs in hand finish…
    stopStep('music', 'close', () => music.close()); // …then abort what is left
    // yt-dlp's version (and with YTDLP_AUTO_UPDATE=1 its update), now and weekly, in the
    // background: start-up does not wait for it. A pip run in progress gets a little time to
    // finish before it is killed, so the venv is not left half-written.
    const ytdlp = startYtDlpUpkeep({ path: config.music.ytdlpPath, autoUpdate: config.music.ytdlpAutoUpdate ?? false, logger: logger.child({ module: 'yt-dlp' }) });
    stopStep('ytdlp', 'close', (remaining) => ytdlp.stop(Math.min(remaining, 10_000)));

    const sendAllRuns = database && new PgSendAllRuns(database.pool, database.musicSchema);
    const musicPort = createMusicPort(music, { choices, ...(jobs ? { jobs } : {}), ...(sendAllRuns && { sendAllRuns }), ...(storageChatId !== undefined && { storageChatId }) });
    const bot = createBot({ config, links, spotify, music: musicPort, ...(lyrics && { lyrics }), logger, ...(options.bot ? { options: options.bot } : {}) });
    botApi = () => bot.bot.api;
    // Only now: a job taken earlier would find no Bot API to report with.
    if (jobs && role !== 'web') jobs.work(config.music.downloadConcurrency);
    const updates = takesUpdates ? trackUpdates(bot, (type, outcome) => metrics.updates.inc({ type, outcome })) : undefined;
    if (updates) metrics.gauge('telegram_updates_in_flight', 'Telegram updates being handled right now', [], () => updates.inFlight());
    relay.connect(bot.notifier);

    // The callback page names the bot (t.me/<username>), known only once getMe has answered.
    let callback: Route | undefined;
    const routes = [
      ...createHealthRoutes({
        // A worker is ready when its database answers: it never talks to Telegram unasked.
        readiness: async () => ({ ...(await storage.readiness()), ...(takesUpdates && { bot: bot.isConnected() }) }),
        details: () => spotifyHealth.details(),
        logger,
      }),
      createMetricsRoute(metrics),
      ...(links && takesUpdates ? [untilReady(CALLBACK_PATH, () => callback)] : []),
      ...(bot.webhookRoute && takesUpdates ? [bot.webhookRoute] : []),
    ];
    const http = createHttpServer({ host: config.http.host, port: config.http.port, routes, logger: logger.child({ module: 'http' }) });
    const { port } = await http.listen();
    // In-flight callbacks get up to 10 s of what is left; then their sockets are cut.
    stopStep('http', 'close', (remaining) => http.close(Math.min(remaining, 10_000)));
    logger.info({ host: config.http.host, port }, 'HTTP server listening');

    // A running bot's consistent LevelDB copy; PostgreSQL is backed up with pg_dump (docs/operations.md).
    const control = level
      ? await startControlServer({
          path: controlSocketPath(config.storage.dataDir),
          handlers: { backup: (out) => writeBackup(level, out) },
          logger: logger.child({ module: 'control' }),
        })
      : undefined;
    if (control) stopStep('control', 'close', (remaining) => control.close(Math.min(remaining, 5_000)));

    // A worker's link service reads tokens (Spotify metadata) but sweeps nothing: web instances do.
    if (links) stopStep('links', 'wait', () => links.stop());
    if (updates) { // a process that takes updates (not a worker)
      // The benchmark gives botInfo and has no Bot API to ask.
      if (!bot.bot.isInited()) {
        const { token, apiRoot } = config.telegram;
        bot.bot.botInfo = await connectTelegram({ token, apiRoot, logger: logger.child({ module: 'telegram' }), signal: options.signal });
      }
      if (links) callback = createCallbackRoute({ flow: links, botUsername: bot.bot.botInfo.username, logger });

      links?.start(options.sweepIntervalMs);
      await bot.start();
      stopStep('bot', 'wait', () => bot.stop());
      stopStep('updates', 'wait', () => updates.idle());
    } else logger.info({ concurrency: config.music.downloadConcurrency }, 'download worker started');

    let stopping: Promise<ShutdownReport> | undefined;
    return {
      storage,
      http,
      bot,
      links,
      metrics,
      port,
      stop: (opts = {}) => (stopping ??= stopAll(opts.graceMs ?? DEFAULT_SHUTDOWN_GRACE_MS)),
    };
  } catch (err) {
    await stopAll(5_000);
    throw err;
  }
}

/**
 * A GET route that answers 503 (the generic page, `Retry-After: 5`) until `current()` gives
 * the real route, then hands every request to it (GET only: the callback route's methods).
 */
function untilReady(path: string, current: () => Route | undefined): Route {
  return {
    path,
    methods: ['GET'],
    handle: (request) => current()?.handle(request) ?? statusPage(503, request.locale, { 'Retry-After': '5' }),
  };
}
