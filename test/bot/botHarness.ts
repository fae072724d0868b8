/**
 * The whole bot under test: the real grammY bot from `createBot` polling (or, in webhook
 * mode, served by) the fake Bot API, with a real link service on a memory store and the fake
 * Spotify behind it (`linkHarness.ts`), and the real HTTP server with the OAuth callback route
 * (and the webhook route) on 127.0.0.1, port 0.
 *
 * @example
 * const h = await startBotHarness();
 * const alice = h.fake.createUser({ languageCode: 'ru' });
 * h.fake.sendCommand(alice, 'now');
 * const reply = await h.replyTo(alice);
 * await h.close(); // stops the bot before the fake, asserts no contract violation
 */
import { randomBytes } from 'node:crypto';
import type { Message, User } from 'grammy/types';
import * as assert from 'uvu/assert';
import { loadConfig, type Config } from '../../src/config.ts';
import { createBot, type BotApp, type BotOptions } from '../../src/bot/createBot.ts';
import type { MusicPort } from '../../src/bot/musicChat/musicPort.ts';
import type { LyricsClient } from '../../src/lyrics/lrclib.ts';
import { NotifierRelay } from '../../src/bot/notifier.ts';
import { WEBHOOK_PATH } from '../../src/bot/webhookRoute.ts';
import { createCallbackRoute } from '../../src/http/callbackRoute.ts';
import type { Route } from '../../src/http/route.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { FakeBotApi, type ApiCall } from '../helpers/fakeBotApi.ts';
import { startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

/** Options of {@link startBotHarness}. */
export interface BotHarnessOptions {
  mode?: 'polling' | 'webhook';
  /** `ALLOWED_TELEGRAM_USER_IDS`. */
  allowed?: number[];
  /** Without it the bot runs as when Spotify login is off. Default true. */
  spotify?: boolean;
  music?: MusicPort;
  /** The LRCLIB client (`/lyrics`); without it lyrics are off. */
  lyrics?: LyricsClient;
  /** Extra environment for `loadConfig`. */
  env?: Record<string, string>;
  options?: BotOptions;
  /** Runs before `app.start()` (to script failures of the start-up calls). */
  beforeStart?: (fake: FakeBotApi) => void;
}

export interface BotHarness {
  fake: FakeBotApi;
  link: LinkHarness;
  app: BotApp;
  config: Config;
  http: HttpServer;
  /** Base URL of the bot's HTTP server. */
  httpBase: string;
  /** Every log line so far (the bot and the link service share one redacting logger). */
  logs(): string;
  /** The next message (text or photo) the bot sends into `chat`. */
  replyTo(chat: { id: number }, method?: 'sendMessage' | 'sendPhoto'): Promise<ApiCall>;
  /** Runs the browser part of a login: authorize URL → fake Spotify → callback route; returns the completion id. */
  browserLogin(authorizeUrl: string, spotifyUser?: string): Promise<{ status: number; completionId: string }>;
  /** Links `user` through the bot: /login, browser, /start <id>; returns the ✅ reply. */
  linkThroughBot(user: User, spotifyUser?: string): Promise<ApiCall>;
  close(): Promise<void>;
}

/** A token that passes the config's check (the fake's own default is shorter). */
export function testBotToken(): string {
  return `7${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}:AA${randomBytes(30).toString('base64url')}`;
}

/** The URL of the first URL button of a message (the authorize page on /login). */
export function urlButton(message: Message): string {
  const button = message.reply_markup?.inline_keyboard.flat().find((b) => 'url' in b && b.url);
  if (!button || !('url' in button) || !button.url) throw new Error('the message has no URL button');
  return button.url;
}

/** The callback data of the buttons of a message, in order. */
export function callbackDatas(message: Message): string[] {
  return callbackDatasOf(message.reply_markup);
}

function callbackDatasOf(markup: Message['reply_markup'] | undefined): string[] {
  return (markup?.inline_keyboard.flat() ?? []).flatMap((b) => ('callback_data' in b && b.callback_data ? [b.callback_data] : []));
}

export async function startBotHarness(opts: BotHarnessOptions = {}): Promise<BotHarness> {
  const mode = opts.mode ?? 'polling';
  const fake = await FakeBotApi.start({ token: testBotToken() });
  const relay = new NotifierRelay();
  const link = await startLinkHarness({ deps: { notifier: relay } });
  let app: BotApp | undefined;
  // The server starts before the bot exists (its port goes into PUBLIC_BASE_URL), so routes delegate.
  const webhook: Route = { path: WEBHOOK_PATH, methods: ['POST'], handle: (r) => app!.webhookRoute!.handle(r) };
  const http = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: link.logger,
    routes: [createCallbackRoute({ flow: link.links, botUsername: fake.botUser.username, logger: link.logger }), ...(mode === 'webhook' ? [webhook] : [])],
  });
  const { port } = await http.listen();
  const httpBase = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    BOT_MODE: mode,
    PUBLIC_BASE_URL: httpBase,
    ...(mode === 'webhook' && { WEBHOOK_SECRET: `whsec_${randomBytes(18).toString('base64url')}` }),
    ...(opts.allowed && { ALLOWED_TELEGRAM_USER_IDS: opts.allowed.join(',') }),
    ...opts.env,
  });
  const spotify = opts.spotify !== false;
  app = createBot({
    config,
    ...(spotify && { links: link.links, spotify: link.webApi }),
    ...(opts.music && { music: opts.music }),
    ...(opts.lyrics && { lyrics: opts.lyrics }),
    logger: link.logger,
    options: {
      // Flood control stays on, with limits no test reaches: tests send many messages to one chat.
      floodLimits: { globalPerSecond: 1000, privatePerSecond: 1000, privateBurst: 1000, groupPerMinute: 60_000 },
      pollingTimeoutSec: 5,
      now: link.clock.now,
      ...opts.options,
    },
  });
  relay.connect(app.notifier);
  opts.beforeStart?.(fake);
  await app.start();

  const completionIds: string[] = [];
  const replyTo: BotHarness['replyTo'] = (chat, method = 'sendMessage') => fake.nextCall(method, (c) => c.params.chat_id === chat.id);

  const browserLogin: BotHarness['browserLogin'] = async (authorizeUrl, spotifyUser = 'alice') => {
    link.spotify.setLoginOutcome({ as: spotifyUser });
    const redirect = await link.spotify.login(authorizeUrl);
    // The redirect URI names the operator's public address; the same path and query go to our server.
    const res = await fetch(`${httpBase}${new URL(redirect.location).pathname}${new URL(redirect.location).search}`, { redirect: 'manual' });
    await res.arrayBuffer();
    const location = res.headers.get('location') ?? '';
    const completionId = new URL(location || 'https://t.me/x').searchParams.get('start') ?? '';
    if (completionId) completionIds.push(completionId);
    return { status: res.status, completionId };
  };

  return {
    fake,
    link,
    app,
    config,
    http,
    httpBase,
    logs: link.logs,
    replyTo,
    browserLogin,
    async linkThroughBot(user, spotifyUser) {
      fake.sendCommand(user, 'login');
      const login = await replyTo(user);
      const { completionId } = await browserLogin(urlButton(login.result), spotifyUser);
      fake.sendCommand(user, 'start', completionId);
      return replyTo(user);
    },
    async close() {
      await app!.stop();
      await fake.close();
      await http.close(100);
      await link.close();
      fake.assertNoViolations();
      const logs = link.logs();
      assert.equal(link.spotify.leaksIn(logs), [], 'a Spotify secret reached the log');
      assert.not.ok(logs.includes(fake.token.split(':')[1]!), 'the bot token reached the log');
      assert.equal(completionIds.filter((id) => logs.includes(id)), [], 'a completion id reached the log');
      // What the bot wrote: texts, captions, callback data, inline results (URL buttons hold the
      // authorize URL by design and are left out).
      const written = fake.calls
        .map((c) => JSON.stringify([c.params.text, c.params.caption, c.params.results, callbackDatasOf(c.params.reply_markup)]))
        .join('\n');
      assert.equal(link.spotify.leaksIn(written), [], 'a Spotify secret in a message');
    },
  };
}
