/**
 * The composition root: builds every part from the config, in dependency order, and stops
 * them in reverse. `main.ts` only reads the environment, calls {@link startApp} and handles
 * signals; tests start the same app against local fakes.
 *
 * Order: LevelDB (event log + vault + music cache) → Spotify clients → link service → music
 * pipeline → bot (getMe) → HTTP server (health, OAuth callback, webhook) → sweeper → updates.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { masterKey, openEventStore, openTokenVault, type EventStore } from '../eventlog/index.ts';
import { createBot, type BotApp, type BotOptions } from './bot/createBot.ts';
import { NotifierRelay } from './bot/notifier.ts';
import type { Config } from './config.ts';
import { createCallbackRoute } from './http/callbackRoute.ts';
import { createHealthRoutes } from './http/healthRoutes.ts';
import { createHttpServer, type HttpServer } from './http/server.ts';
import { NotLinkedError } from './link/errors.ts';
import { createLinkRegistry, type StoredEvent } from './link/linkLog.ts';
import { LinkService } from './link/linkService.ts';
import { linkProjections } from './link/projections.ts';
import type { Logger } from './log.ts';
import { AccountsClient } from './spotify/accountsClient.ts';
import { WebApiClient } from './spotify/webApiClient.ts';

/** A running app. */
export interface RunningApp {
  readonly store: EventStore<StoredEvent>;
  readonly http: HttpServer;
  readonly bot: BotApp;
  readonly links?: LinkService;
  /** The port the HTTP server listens on (useful with `HTTP_PORT=0`). */
  readonly port: number;
  /** Stops taking updates, lets work in hand finish, closes HTTP and LevelDB. Idempotent. */
  stop(): Promise<void>;
}

/** Test and benchmark knobs; production passes none. */
export interface AppOptions {
  bot?: BotOptions;
  /** How often expiries, reminders and crash recovery run (default 30 s). */
  sweepIntervalMs?: number;
}

/** Where the LevelDB of `DATA_DIR` lives. */
export const dbLocation = (dataDir: string) => join(dataDir, 'db');

/**
 * Starts everything. Throws `DataDirLockedError` when another process holds the data dir
 * and `MasterKeyMismatchError` for a wrong `TOKEN_ENCRYPTION_KEY` (both one readable line).
 */
export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<RunningApp> {
  for (const feature of Object.values(config.features)) if (!feature.enabled) logger.info(feature.reason);

  await mkdir(config.storage.dataDir, { recursive: true });
  const store = await openEventStore<StoredEvent>({
    location: dbLocation(config.storage.dataDir),
    registry: createLinkRegistry(),
    projections: [...linkProjections],
    logger: logger.child({ module: 'eventlog' }),
  });
  const cleanup: Array<() => Promise<unknown>> = [() => store.close()];
  try {
    const vault = await openTokenVault({
      db: store.db,
      masterKeys: [config.storage.masterKey, ...config.storage.previousMasterKeys].map((k) => masterKey(k)),
      runExclusive: store.runExclusive,
    });

    const { spotify: sc } = config;
    const accounts = config.features.spotify.enabled
      ? new AccountsClient({ accountsUrl: sc.accountsUrl, clientId: sc.clientId!, clientSecret: sc.clientSecret!, redirectUri: sc.redirectUri ?? '' })
      : undefined;
    const relay = new NotifierRelay();
    let links: LinkService | undefined;
    // The Web API client reads with the users' tokens from the link service (bound lazily).
    const spotify = accounts
      ? new WebApiClient({
          apiUrl: sc.apiUrl,
          getAccessToken: (userId, opts) => (links ? links.getAccessToken(userId, opts) : Promise.reject(new NotLinkedError('unlinked'))),
          appToken: (opts) => accounts.clientCredentialsToken(opts),
        })
      : undefined;
    if (accounts && spotify && config.features.spotifyLogin.enabled) {
      links = new LinkService({ store, vault, accounts, profiles: spotify, notifier: relay, logger });
    }

    const bot = createBot({ config, links, spotify, logger, ...(options.bot ? { options: options.bot } : {}) });
    relay.connect(bot.notifier);
    await bot.bot.init();

    const routes = [
      ...createHealthRoutes({ readiness: () => ({ dataDir: store.db.status === 'open', bot: bot.isConnected() }), logger }),
      ...(links ? [createCallbackRoute({ flow: links.callbackFlow, botUsername: bot.bot.botInfo.username, logger })] : []),
      ...(bot.webhookRoute ? [bot.webhookRoute] : []),
    ];
    const http = createHttpServer({ host: config.http.host, port: config.http.port, routes, logger: logger.child({ module: 'http' }) });
    const { port } = await http.listen();
    cleanup.unshift(() => http.close());
    logger.info({ host: config.http.host, port }, 'HTTP server listening');

    links?.start(options.sweepIntervalMs);
    if (links) cleanup.unshift(() => links.stop());
    await bot.start();
    cleanup.unshift(() => bot.stop());

    let stopping: Promise<void> | undefined;
    return {
      store,
      http,
      bot,
      links,
      port,
      stop: () => (stopping ??= runAll(cleanup, logger)),
    };
  } catch (err) {
    await runAll(cleanup, logger);
    throw err;
  }
}

/** Runs every cleanup step in order; one failing step does not skip the rest. */
async function runAll(steps: ReadonlyArray<() => Promise<unknown>>, logger: Logger): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      logger.error({ err }, 'shutdown step failed');
    }
  }
}
