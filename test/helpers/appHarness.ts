/**
 * What the whole-app tests share: a fake Bot API and a fake Spotify on 127.0.0.1, the
 * environment that points the real app at them (the same variables an operator sets), a free
 * port for the app's own HTTP server (its address must be known before start-up: it is the
 * OAuth redirect URI), and the browser's part of a login.
 *
 * @example
 * const fakes = await startAppFakes();
 * const port = await freePort();
 * const config = loadConfig(appEnv(fakes, { dataDir, port }));
 * const app = await startApp(config, logger);
 * const alice = fakes.bot.createUser();
 * fakes.bot.sendCommand(alice, 'login');
 * const reply = await fakes.bot.nextCall('sendMessage', (c) => c.params.chat_id === alice.id);
 * const { completionId } = await browserLogin(fakes, urlButton(reply.result), `http://127.0.0.1:${port}`);
 */
import { randomBytes } from 'node:crypto';
import type { Message, User } from 'grammy/types';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startApp, type RunningApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { testBotToken } from '../bot/botHarness.ts';
import { FakeBotApi, type FakeBotApiOptions } from './fakeBotApi.ts';
import { startFakeSpotify, type FakeSpotify } from './fakeSpotify.ts';

/** The two fakes an app runs against. */
export interface AppFakes {
  readonly bot: FakeBotApi;
  readonly spotify: FakeSpotify;
  close(): Promise<void>;
}

const alnum = (n: number) => randomBytes(n).toString('hex').slice(0, n);

/**
 * Starts the fake Bot API and a fake Spotify whose client id and secret pass the config's checks.
 * `bot` adds options of the fake Bot API (e.g. `webhookSecondMs` for quick redelivery).
 */
export async function startAppFakes(options: { bot?: Omit<FakeBotApiOptions, 'token'> } = {}): Promise<AppFakes> {
  const bot = await FakeBotApi.start({ ...options.bot, token: testBotToken() });
  const spotify = await startFakeSpotify({ clientId: alnum(32), clientSecret: alnum(32) });
  return {
    bot,
    spotify,
    async close() {
      await bot.close();
      await spotify.close();
    },
  };
}

/** A port that was free a moment ago (the app binds it next; a clash is very unlikely). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A master key for tests (`TOKEN_ENCRYPTION_KEY`). */
export const testMasterKey = (fill = 5) => Buffer.alloc(32, fill).toString('base64');

/**
 * The environment of an app on the fakes. Every variable an operator's `.env` could set is
 * given (blank = default), so a developer's own `.env` cannot leak into a child process test.
 */
export function appEnv(fakes: AppFakes, opts: { dataDir: string; port: number; key?: string; previousKeys?: string; extra?: Record<string, string> }): Record<string, string> {
  return {
    BOT_TOKEN: fakes.bot.token,
    TELEGRAM_API_ROOT: fakes.bot.apiRoot,
    BOT_MODE: 'polling',
    WEBHOOK_SECRET: '',
    PUBLIC_BASE_URL: `http://127.0.0.1:${opts.port}`,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(opts.port),
    SPOTIFY_CLIENT_ID: fakes.spotify.clientId,
    SPOTIFY_CLIENT_SECRET: fakes.spotify.clientSecret,
    SPOTIFY_ACCOUNTS_URL: fakes.spotify.accountsUrl,
    SPOTIFY_API_URL: fakes.spotify.apiUrl,
    DATA_DIR: opts.dataDir,
    TOKEN_ENCRYPTION_KEY: opts.key ?? testMasterKey(),
    TOKEN_ENCRYPTION_KEYS_PREVIOUS: opts.previousKeys ?? '',
    ALLOWED_TELEGRAM_USER_IDS: '',
    YTDLP_COOKIES: '',
    YTDLP_PROXY: '',
    ODESLI_API_URL: '',
    ODESLI_API_KEY: '',
    // Lyrics off: nothing in these tests may ask the real LRCLIB.
    LRCLIB_API_URL: '',
    LOG_LEVEL: 'info',
    ...opts.extra,
  };
}

/** What the browser saw at the app's callback. */
export interface CallbackVisit {
  status: number;
  location: string;
  referrerPolicy: string | null;
  completionId: string;
}

/**
 * The browser's part: open the authorize URL at the fake (which approves as `spotifyUser`),
 * then follow its redirect to the app's own callback on `appBase` – or, with `via`, to another
 * bot instance behind the same public address (what a load balancer may do).
 */
export async function browserLogin(fakes: AppFakes, authorizeUrl: string, appBase: string, spotifyUser = 'alice', via?: string): Promise<CallbackVisit> {
  fakes.spotify.setLoginOutcome({ as: spotifyUser });
  const redirect = await fakes.spotify.login(authorizeUrl);
  const url = new URL(redirect.location);
  if (url.origin !== appBase) throw new Error(`the redirect URI points at ${url.origin}, not at the app (${appBase})`);
  const res = await fetch(via ? redirect.location.replace(appBase, via) : redirect.location, { redirect: 'manual' });
  await res.arrayBuffer();
  const location = res.headers.get('location') ?? '';
  return {
    status: res.status,
    location,
    referrerPolicy: res.headers.get('referrer-policy'),
    completionId: location ? (new URL(location).searchParams.get('start') ?? '') : '',
  };
}

/**
 * The user's `/unlink` through the bot: the question, the ✅ button, the edited answer; then a
 * `/help` and its answer, because one user's updates run in order: once `/help` is answered,
 * the button press has settled.
 */
export async function unlinkThroughTheBot(fakes: AppFakes, user: User): Promise<void> {
  const replyTo = () => fakes.bot.nextCall('sendMessage', (c) => c.params.chat_id === user.id);
  fakes.bot.sendCommand(user, 'unlink');
  const ask = await replyTo();
  fakes.bot.pressButton(user, ask.result as Message, 'ul:yes');
  await fakes.bot.nextCall('editMessageText');
  fakes.bot.sendCommand(user, 'help');
  await replyTo();
}

/** What {@link startRoleApp} needs. */
export interface RoleAppOptions {
  readonly fakes: AppFakes;
  /** The local media server whose pages stand in for YouTube's and SoundCloud's. */
  readonly mediaBaseUrl: string;
  readonly databaseUrl: string;
  readonly role: 'web' | 'worker';
  /** A folder of this app's own (its DATA_DIR goes below it), and one for job directories (must exist). */
  readonly dataDir: string;
  readonly tempRoot: string;
  /** Where its JSON log lines go. */
  readonly log: (line: string) => void;
  readonly logLevel?: 'debug' | 'info' | 'warn';
  /** More variables (BOT_MODE, DOWNLOAD_CONCURRENCY, …). */
  readonly extra?: Record<string, string>;
  readonly processMetrics?: boolean;
}

/**
 * The whole app (`startApp`) in one role on PostgreSQL, against the fakes, with YouTube and
 * SoundCloud links downloaded by the real yt-dlp from the local media server: the roles tests
 * and the scale benchmark's workers.
 */
export async function startRoleApp(o: RoleAppOptions): Promise<RunningApp> {
  const port = await freePort();
  const env = appEnv(o.fakes, { dataDir: o.dataDir, port, extra: { DATABASE_URL: o.databaseUrl, BOT_ROLE: o.role, ...o.extra } });
  const logger = createLogger({ level: o.logLevel ?? 'debug', base: { role: o.role }, destination: { write: o.log } });
  return startApp(loadConfig(env), logger, {
    bot: { pollingTimeoutSec: 1, floodLimits: false },
    ...(o.processMetrics !== undefined && { processMetrics: o.processMetrics }),
    music: { urls: { youtube: o.mediaBaseUrl, soundcloud: o.mediaBaseUrl }, allowPrivateAddresses: true, tempRoot: o.tempRoot },
  });
}
