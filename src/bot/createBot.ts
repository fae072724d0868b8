/**
 * Builds the Telegram bot: grammY with our composers, Telegram's limits handled by API
 * transformers (flood control for the flood limits, auto-retry for 429 `retry_after` and 5xx),
 * the command menu in both languages, and either long polling (`@grammyjs/runner`, updates of
 * one user handled in order) or a webhook route for the built-in HTTP server.
 *
 * Middleware: a prelude (update bookkeeping, i18n `ctx.locale`/`ctx.t`, the allowlist, the
 * per-user queue) → one router over the features (start/help, login, unlink, now, recent, lyrics,
 * download, inline of `composers/`, and music links and buttons of `musicChat/`) → the
 * fallback. Errors end at `bot.catch` (see `errorHandler.ts`).
 *
 * @example
 * const relay = new NotifierRelay();
 * const links = new LinkService({ ...linkDeps, notifier: relay });
 * const app = createBot({ config, links, spotify, music, logger });
 * relay.connect(app.notifier);
 * const http = createHttpServer({ ..., routes: [...otherRoutes, ...(app.webhookRoute ? [app.webhookRoute] : [])] });
 * await http.listen();
 * await app.start();
 * process.once('SIGTERM', () => void app.stop());
 */
import { autoRetry, type AutoRetryOptions } from '@grammyjs/auto-retry';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot, type BotError, type Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { Config } from '../config.ts';
import type { Route } from '../http/route.ts';
import type { LinkUseCases } from '../link/ports.ts';
import type { LinkNotifier } from '../link/ports.ts';
import type { LyricsClient } from '../lyrics/lrclib.ts';
import type { Logger } from '../log.ts';
import type { WebApiClient } from '../spotify/webApiClient.ts';
import { createAllowlist } from './allowlist.ts';
import { registerCommands } from './commands.ts';
import { downloadFeature } from './composers/download.ts';
import { fallback } from './composers/fallback.ts';
import { inlineFeature } from './composers/inline.ts';
import { loginFeature } from './composers/login.ts';
import { lyricsFeature } from './composers/lyrics.ts';
import { nowFeature } from './composers/now.ts';
import { recentFeature } from './composers/recent.ts';
import { startFeature } from './composers/start.ts';
import { unlinkFeature } from './composers/unlink.ts';
import type { BotContext } from './context.ts';
import { createErrorHandler, loggableError } from './errorHandler.ts';
import { floodControl, TELEGRAM_FLOOD_LIMITS, type FloodLimits } from './floodControl.ts';
import { applyLocale } from './i18nMiddleware.ts';
import type { MusicPort } from './musicChat/musicPort.ts';
import { createBotNotifier } from './notifier.ts';
import { routeFeatures } from './routing.ts';
import type { BotServices } from './services.ts';
import { createUserBacklog } from './userBacklog.ts';
import { UserLocales } from './userLocales.ts';
import { DEFAULT_USER_LIMITS, UserRateLimit, type UserLimits } from './userRateLimit.ts';
import { createWebhookRoute, WEBHOOK_PATH } from './webhookRoute.ts';

/** The update types the bot asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query', 'chosen_inline_result'] as const;

/** Knobs that tests and the benchmark turn; production leaves them unset. */
export interface BotOptions {
  /** Skips `getMe` at start (the benchmark has no Bot API to ask). */
  botInfo?: UserFromGetMe;
  /** The innermost API transformer: answers calls in-process instead of over HTTP (benchmark). */
  transport?: Transformer;
  /** Flood limits (see `floodControl.ts`), or `false` for none. Default: Telegram's. */
  floodLimits?: FloodLimits | false;
  /** Default: at most 5 retries, waits of at most 60 s. */
  autoRetry?: Partial<AutoRetryOptions>;
  /** Long-poll `timeout` in seconds. Default 30. */
  pollingTimeoutSec?: number;
  /** How long a webhook POST waits for its update to be handled. Default 10 000 ms. */
  webhookAnswerMs?: number;
  /** Epoch ms for "… ago" times and the per-user limits. Default `Date.now`. */
  now?: () => number;
  /** Per-user limits (backlog, Spotify reads, inline reuse). Default {@link DEFAULT_USER_LIMITS}. */
  userLimits?: Partial<UserLimits>;
}

/** What {@link createBot} needs; everything Spotify- or music-related is optional. */
export interface BotDeps {
  config: Config;
  /** Absent when Spotify login is off (`config.features.spotifyLogin`). */
  links?: LinkUseCases;
  /** The Web API client, reading with the users' tokens from `links`. */
  spotify?: WebApiClient;
  /** The music pipeline; without it ⬇️ buttons say downloads are unavailable. */
  music?: MusicPort;
  /** LRCLIB (absent when `LRCLIB_API_URL` is empty): `/lyrics` says lyrics are off without it. */
  lyrics?: LyricsClient;
  logger: Logger;
  options?: BotOptions;
}

/**
 * Told of every update handed to grammY (by polling or the webhook route), with its
 * handling: it settles when the update is handled, or rejects as the handling does.
 */
export type UpdateListener = (update: Update, handling: Promise<void>) => void;

/** A built bot and the handles `app.ts` wires. */
export interface BotApp {
  readonly bot: Bot<BotContext>;
  /** Give it to the link service (through a `NotifierRelay`). */
  readonly notifier: LinkNotifier;
  /** Each user's last seen language. */
  readonly locales: UserLocales;
  /**
   * Hands one update to the bot, as polling does: an update of a user whose backlog is full
   * is dropped before grammY builds its context (cheap), the rest go to `bot.handleUpdate`.
   */
  handleUpdate(update: Update): Promise<void>;
  /**
   * Adds a listener for every update {@link handleUpdate} hands to grammY (metrics, and
   * shutdown waiting for updates in hand). Updates dropped before grammY are not told.
   */
  onUpdate(listener: UpdateListener): void;
  /** `POST /telegram/webhook` for the HTTP server; only in webhook mode. */
  readonly webhookRoute?: Route;
  /** Menu, then polling or `setWebhook`. Rejects when Telegram refuses the token or the webhook. */
  start(): Promise<void>;
  /** Stops fetching, waits for the updates in hand and confirms them to Telegram. */
  stop(): Promise<void>;
  /** For readiness probes: the last `getUpdates` succeeded, or the webhook is set. */
  isConnected(): boolean;
}

/** Builds the bot (nothing is sent to Telegram until {@link BotApp.start}). */
export function createBot(deps: BotDeps): BotApp {
  const { config, options = {} } = deps;
  const logger = deps.logger.child({ module: 'bot' });
  const bot = new Bot<BotContext>(config.telegram.token, {
    client: { apiRoot: config.telegram.apiRoot },
    ...(options.botInfo && { botInfo: options.botInfo }),
  });
  let connected = false;
  let lastUpdateId: number | undefined;
  let runner: RunnerHandle | undefined;
  let started = false;
  const inFlight = new Set<Promise<void>>();
  const listeners: UpdateListener[] = [];

  // Transformers: the last installed runs first, so auto-retry wraps flood control.
  if (options.transport) bot.api.config.use(options.transport);
  if (options.floodLimits !== false) bot.api.config.use(floodControl(options.floodLimits ?? TELEGRAM_FLOOD_LIMITS));
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, ...options.autoRetry }));

  const locales = new UserLocales();
  const services: BotServices = {
    ...(deps.links && { links: deps.links }),
    ...(deps.spotify && { spotify: deps.spotify }),
    ...(deps.music && { music: deps.music }),
    ...(deps.lyrics && { lyrics: deps.lyrics }),
    logger,
    now: options.now ?? Date.now,
  };

  // One middleware for the whole pipeline: every grammY layer costs a share of the throughput
  // (bench/bot.ts), so the prelude calls the router, and the router what follows, directly.
  const allowlist = createAllowlist(config.telegram.allowedUserIds, logger);
  const limits: UserLimits = { ...DEFAULT_USER_LIMITS, ...options.userLimits };
  const spotifyReads = new UserRateLimit(limits.spotifyPerMinute, 60_000, services.now);
  const dispatch = routeFeatures([
    startFeature(services),
    loginFeature(services),
    unlinkFeature(services),
    nowFeature(services, spotifyReads),
    recentFeature(services, spotifyReads),
    lyricsFeature(services, spotifyReads),
    downloadFeature(services),
    inlineFeature(services, limits.inlineReuseMs),
    ...(deps.music ? [deps.music.feature] : []),
  ]);
  const noop = () => Promise.resolve();
  // A parked update runs after the runner's handler returned: what follows the queue is
  // called with a no-op `next`, as it would be at the end of the chain. `fallback` is an
  // async function: it always returns a promise.
  const perUser = createUserBacklog({
    handle: (ctx) => dispatch(ctx, () => fallback(ctx, noop) as Promise<void>),
    backlog: limits.backlog,
    errorHandler: (err) => bot.errorHandler(err),
    logger,
    now: services.now,
  });
  bot.use((ctx) => {
    if (lastUpdateId === undefined || ctx.update.update_id > lastUpdateId) lastUpdateId = ctx.update.update_id;
    applyLocale(ctx, locales);
    const allowed = allowlist(ctx);
    if (allowed !== true) return allowed;
    return perUser.push(ctx.from?.id ?? ctx.chat?.id, ctx);
  });
  bot.catch(createErrorHandler(logger));

  const webhook = config.telegram.mode === 'webhook';
  const webhookRoute =
    webhook && config.telegram.webhookSecret
      ? createWebhookRoute({
          bot,
          handleUpdate,
          secret: config.telegram.webhookSecret,
          logger,
          ...(options.webhookAnswerMs !== undefined && { answerWithinMs: options.webhookAnswerMs }),
          track: (handling) => {
            inFlight.add(handling);
            void handling.finally(() => inFlight.delete(handling));
          },
        })
      : undefined;

  // The one door to grammY for polling and the webhook route alike.
  function handleUpdate(update: Update): Promise<void> {
    // A flooding user's update that would be dropped anyway is dropped before grammY builds
    // its context: the flood then costs the other users as little as possible.
    const from = update.message?.from ?? update.callback_query?.from ?? update.inline_query?.from ?? update.chosen_inline_result?.from;
    if (from && perUser.dropsQuietly(from.id)) {
      if (lastUpdateId === undefined || update.update_id > lastUpdateId) lastUpdateId = update.update_id;
      return Promise.resolve();
    }
    const handling = bot.handleUpdate(update);
    for (const listener of listeners) listener(update, handling);
    return handling;
  }

  async function start(): Promise<void> {
    if (started) return;
    started = true;
    await bot.init();
    await registerCommands(bot.api, logger, { spotify: Boolean(deps.links && deps.spotify), lyrics: Boolean(deps.lyrics), search: Boolean(deps.music) });
    if (webhook) {
      if (!config.http.publicBaseUrl || !config.telegram.webhookSecret) throw new Error('webhook mode needs PUBLIC_BASE_URL and WEBHOOK_SECRET');
      await bot.api.setWebhook(config.http.publicBaseUrl + WEBHOOK_PATH, {
        secret_token: config.telegram.webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      connected = true;
      logger.info({ username: bot.botInfo.username, mode: 'webhook' }, 'bot started');
      return;
    }
    // A webhook left from an earlier run would make every getUpdates fail with 409.
    await bot.api.deleteWebhook();
    // The runner gets the bot through an adapter whose getUpdates reports connectivity: a
    // transformer would do the same but be copied into every update's API client.
    const polled: Parameters<typeof run<Update, unknown>>[0] = {
      init: () => bot.init(),
      handleUpdate,
      errorHandler: (err) => bot.errorHandler(err as BotError<BotContext>),
      api: {
        getUpdates: async (args, signal) => {
          try {
            const updates = await bot.api.getUpdates(args, signal);
            connected = true;
            return updates;
          } catch (err) {
            if (!signal.aborted) {
              connected = false;
              logger.warn({ err: loggableError(err) }, 'getUpdates failed; retrying');
            }
            throw err;
          }
        },
      },
    };
    runner = run(polled, {
      runner: {
        fetch: { timeout: options.pollingTimeoutSec ?? 30, allowed_updates: [...ALLOWED_UPDATES] },
        silent: true,
      },
    });
    runner.task()?.catch((err: unknown) => {
      connected = false;
      logger.fatal({ err: loggableError(err) }, 'polling stopped: Telegram refused getUpdates (wrong token, or another instance polls)');
    });
    logger.info({ username: bot.botInfo.username, mode: 'polling' }, 'bot started');
  }

  async function stop(): Promise<void> {
    if (!started) return;
    started = false;
    if (runner) {
      const handle = runner;
      runner = undefined;
      await handle.stop();
      // The runner keeps the offset in memory: confirm what was handled so it is not redelivered.
      // Bounded: auto-retry would otherwise wait out a network outage here.
      if (lastUpdateId !== undefined) {
        const signal = AbortSignal.timeout(5_000) as unknown as Parameters<typeof bot.api.getUpdates>[1];
        const confirm = bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 }, signal);
        await confirm.catch((err: unknown) => {
          logger.warn({ err: loggableError(err) }, 'could not confirm the last updates; Telegram may send them again');
        });
      }
    }
    await Promise.allSettled([...inFlight]);
    // Updates parked in the users' queues were received and confirmed: handle them too.
    await perUser.idle();
    connected = false;
    logger.info('bot stopped');
  }

  return {
    bot,
    notifier: createBotNotifier({ api: bot.api, locales }),
    locales,
    handleUpdate,
    onUpdate: (listener) => void listeners.push(listener),
    ...(webhookRoute && { webhookRoute }),
    start,
    stop,
    isConnected: () => connected,
  };
}
