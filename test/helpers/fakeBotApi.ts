/**
 * A local fake of the Telegram Bot API for end-to-end tests of the real grammY bot.
 *
 * Point the bot at it with `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`. Every
 * call is checked against the contract derived from the official spec; a violation is recorded
 * in `fake.violations` and (by default) answered `400 Bad Request`, so a broken call breaks the
 * test. A simulated user sends messages, presses buttons and types inline queries; the test
 * awaits the bot's reaction with `nextCall`. Failures (429, 500, hangs) can be injected.
 *
 * @example
 * ```ts
 * const fake = await FakeBotApi.start();
 * const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
 * bot.command('start', (ctx) => ctx.reply('hi'));
 * void bot.start();
 * const alice = fake.createUser({ languageCode: 'ru' });
 * fake.sendCommand(alice, 'start');
 * const reply = await fake.nextCall('sendMessage');
 * await bot.stop(); // before close(): stop() makes one last getUpdates call
 * await fake.close();
 * fake.assertNoViolations();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { BotCommandScope, Chat, Message, Update, User, UserFromGetMe } from 'grammy/types';
import { readApiRequest, UnreadableBodyError, type ParsedRequest } from './fakeBotApiBody.ts';
import { CallLog, type ApiCall, type CallViolation } from './fakeBotApiCalls.ts';
import { Dispatcher, errorAnswer, type Answer, type InjectedFailure } from './fakeBotApiDispatch.ts';
import type { MethodHandler } from './fakeBotApiMethods.ts';
import { UpdateQueue } from './fakeBotApiUpdates.ts';
import * as users from './fakeBotApiUsers.ts';
import { postUpdate, WebhookPump, webhookReplyCall } from './fakeBotApiWebhook.ts';
import { FakeWorld, type CommandSetting, type SentFile, type WebhookSetting } from './fakeBotApiWorld.ts';
import { formatViolations, validateObject } from './telegramContract.ts';

export { FakeApiError } from './fakeBotApiWorld.ts';
export { CallNotMadeError, type ApiCall, type CallViolation } from './fakeBotApiCalls.ts';
export type { InjectedFailure } from './fakeBotApiDispatch.ts';
export type { HandlerInput, MethodHandler } from './fakeBotApiMethods.ts';
export { buttonTexts, type InlineQueryOptions, type PressOptions, type SendOptions } from './fakeBotApiUsers.ts';

/** How the fake is set up. */
export interface FakeBotApiOptions {
  /** The bot token; its number before `:` becomes the bot's user id. A random one by default. */
  token?: string;
  /** Answer a call that breaks the contract with 400 (default true). Always recorded either way. */
  rejectViolations?: boolean;
  /** A contract method the fake does not implement answers `ok` generically (default) or 400. */
  unhandled?: 'ok' | 'reject';
  /** The clock for message dates, in ms (default `Date.now`). */
  now?: () => number;
  /**
   * Milliseconds in one of Telegram's seconds for webhook retries and update lifetimes (default
   * 1000): a test of redelivery passes a few ms instead of waiting 2, 4, 8 … s.
   */
  webhookSecondMs?: number;
}

/** The fake Bot API server plus its simulated users. Create with `FakeBotApi.start()`. */
export class FakeBotApi {
  readonly token: string;
  /** State: users, chats, messages, files, settings. */
  readonly world: FakeWorld;
  /** Updates waiting for the bot. */
  readonly queue = new UpdateQueue();
  /** Every webhook POST the fake made on its own, retries included, with the bot's status code (0: unreachable). */
  readonly webhookDeliveries: { updateId: number; status: number }[] = [];
  private readonly log = new CallLog();
  private readonly server: Server;
  private readonly dispatcher: Dispatcher;
  private readonly hanging = new Set<ServerResponse>();
  private deliveryWaiters: { updateId: number; resolve: (status: number) => void }[] = [];
  private readonly pump: WebhookPump;
  private port = 0;
  private closed = false;

  private constructor(options: FakeBotApiOptions) {
    const botId = 7_000_000_000 + Math.floor(Math.random() * 1_000_000);
    this.token = options.token ?? `${botId}:AAfake${randomBytes(12).toString('base64url')}`;
    this.world = new FakeWorld(Number(/^(\d+):/.exec(this.token)?.[1] ?? botId), options.now ?? Date.now);
    this.dispatcher = new Dispatcher(this.world, this.queue, this.log, options, () => this.pump.wake());
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.pump = new WebhookPump({
      take: () => (this.world.webhook && !this.closed ? this.queue.shift() : undefined),
      post: (update) => {
        const hook = this.world.webhook;
        return hook ? this.postWebhook(hook.url, update, hook.secretToken) : Promise.reject(new Error('no webhook'));
      },
      answered: (updateId, status) => this.recordDelivery(updateId, status),
      maxConnections: () => this.world.webhook?.maxConnections ?? 40,
      secondMs: options.webhookSecondMs ?? 1000,
    });
  }

  /** Starts a fake on 127.0.0.1 with a free port. */
  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const fake = new FakeBotApi(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', resolve);
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The `apiRoot` for grammY's client options (no trailing slash). */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The bot's own user, as `getMe` answers. */
  get botUser(): UserFromGetMe {
    return this.world.bot;
  }

  /** Every call so far, in arrival order. */
  get calls(): readonly ApiCall[] {
    return this.log.calls;
  }

  /** Contract violations so far, by the bot's calls or in the fake's own answers. */
  get violations(): readonly CallViolation[] {
    return this.log.violations;
  }

  /** The webhook the bot set, if any. */
  get webhook(): WebhookSetting | undefined {
    return this.world.webhook;
  }

  /** Files the bot sent (uploads, by `file_id`, by URL) with their bytes and parameters. */
  get sentFiles(): readonly SentFile[] {
    return this.world.sentFiles;
  }

  /** The commands `setMyCommands` set for a language ('' = default) and scope (default scope). */
  commandsFor(languageCode = '', scope: BotCommandScope = { type: 'default' }): CommandSetting | undefined {
    return this.world.commands.find((c) => c.languageCode === languageCode && JSON.stringify(c.scope) === JSON.stringify(scope));
  }

  /** A simulated user (language `en` unless given) with a private chat with the bot. */
  createUser(opts?: Parameters<FakeWorld['createUser']>[0]): User {
    return this.world.createUser(opts);
  }

  /** A group chat (negative id) any simulated user can write in with `{ chat }`. */
  createGroup(title?: string, type?: 'group' | 'supergroup'): Chat {
    return this.world.createGroup(title, type);
  }

  /** A channel the bot is an admin of (`STORAGE_CHAT_ID`). */
  createChannel(id: number, title?: string): Chat {
    return this.world.createChannel(id, title);
  }

  /** From now on, sending to this user answers 403 "bot was blocked by the user". */
  block(user: User): void {
    this.world.blocked.add(user.id);
  }

  /** Queues an update (an `update_id` is assigned when missing); checks it against the contract. */
  enqueue(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const full = { ...update, update_id: update.update_id ?? this.world.nextUpdateId() } as Update;
    const found = validateObject('Update', full);
    if (found.length > 0) throw new Error(`the fake built an invalid Update: ${formatViolations(found)}`);
    this.queue.push(full);
    if (this.world.webhook) this.pump.wake();
    return full;
  }

  /** `user` writes `text` (in their private chat unless `opts.chat`). */
  sendText(user: User, text: string, opts?: users.SendOptions): Update {
    return this.enqueue(users.textUpdate(this.world, user, text, opts));
  }

  /** `user` sends `/command payload`; `mention` adds `@botname` as clients do in groups. */
  sendCommand(user: User, command: string, payload?: string, opts: users.SendOptions & { mention?: boolean } = {}): Update {
    const text = users.commandText(command, payload, opts.mention ? this.world.bot.username : undefined);
    return this.sendText(user, text, opts);
  }

  /** `user` presses the inline button with `callbackData` on the bot's `message`. */
  pressButton(user: User, message: Message, callbackData: string, opts?: users.PressOptions): Update {
    return this.enqueue(users.callbackUpdate(this.world, user, message, callbackData, opts));
  }

  /** `user` types `@bot query`. */
  inlineQuery(user: User, query: string, opts?: users.InlineQueryOptions): Update {
    return this.enqueue(users.inlineQueryUpdate(this.world, user, query, opts));
  }

  /**
   * Waits for the oldest call of `method` not yet handed out (default timeout 10 s). A call is
   * recorded once answered (a held `getUpdates` when it returns), a hanging one once received.
   */
  nextCall(method: string, predicate?: (call: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall> {
    return this.log.nextCall(method, predicate, timeoutMs);
  }

  /** Every call of `method` so far, taken by `nextCall` or not. */
  callsOf(method: string): ApiCall[] {
    return this.log.callsOf(method);
  }

  /** The bot's messages in a chat as they look now: edits applied, deleted ones gone. */
  messagesTo(chatId: number): Message[] {
    return this.world.botMessagesIn(chatId);
  }

  /** The bot's newest message in a chat, as it looks now. */
  lastMessageTo(chatId: number): Message | undefined {
    return this.world.botMessagesIn(chatId).at(-1);
  }

  /** Resolves once the bot holds a long poll open, so an update sent next arrives through it. */
  whenPolling(): Promise<void> {
    return this.queue.whenPolling();
  }

  /** The next `times` calls of `method` fail this way instead of running. */
  failNext(method: string, how: InjectedFailure, times = 1): void {
    const list = this.dispatcher.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(how);
    this.dispatcher.failures.set(method, list);
  }

  /** Implements (or overrides) a method; throw `FakeApiError` for a Telegram error answer. */
  handle(method: string, handler: MethodHandler): void {
    this.dispatcher.custom.set(method, handler);
  }

  /** Throws if any call broke the contract (or the fake produced an invalid object). */
  assertNoViolations(): void {
    this.log.assertNoViolations();
  }

  /** Returns the violations so far and forgets them: for tests that provoke them on purpose. */
  takeViolations(): CallViolation[] {
    return this.log.takeViolations();
  }

  /**
   * POSTs `update` to the bot's webhook like Telegram does, with the secret header when given;
   * a webhook reply in the answer is processed as a call. Returns the HTTP status.
   */
  async deliverWebhook(url: string, update: Update, secretToken?: string): Promise<number> {
    return (await this.postWebhook(url, update, secretToken)).status;
  }

  /** Resolves with the bot's HTTP status once the fake's first webhook POST of this update is answered. */
  webhookDelivery(updateId: number): Promise<number> {
    const done = this.webhookDeliveries.find((d) => d.updateId === updateId);
    if (done) return Promise.resolve(done.status);
    return new Promise((resolve) => this.deliveryWaiters.push({ updateId, resolve }));
  }

  private async postWebhook(url: string, update: Update, secretToken?: string): Promise<{ status: number; retryAfterSec: number }> {
    const res = await postUpdate(url, update, secretToken);
    const reply = res.status === 200 ? webhookReplyCall(res.body) : undefined;
    if (reply) await this.dispatcher.dispatch(reply.method, { raw: reply.params, files: new Map(), encoding: 'json' }, 'webhookReply', new AbortController().signal);
    return res;
  }

  private recordDelivery(updateId: number, status: number): void {
    this.webhookDeliveries.push({ updateId, status });
    for (const w of this.deliveryWaiters.filter((d) => d.updateId === updateId)) w.resolve(status);
    this.deliveryWaiters = this.deliveryWaiters.filter((d) => d.updateId !== updateId);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = ({ status, body }: Answer): void => {
      if (!res.writableEnded && !res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    if (!path || req.method === 'OPTIONS') return send(errorAnswer(404, 'Not Found'));
    if (path[1] !== this.token) return send(errorAnswer(401, 'Unauthorized'));
    let parsed: ParsedRequest;
    try {
      parsed = await readApiRequest(req, url);
    } catch (err) {
      if (err instanceof UnreadableBodyError) return send(errorAnswer(400, `Bad Request: ${err.message}`));
      throw err;
    }
    const abort = new AbortController();
    res.on('close', () => {
      this.hanging.delete(res);
      if (!res.writableFinished) abort.abort();
    });
    const answer = await this.dispatcher.dispatch(path[2]!, parsed, 'http', abort.signal);
    if (answer === 'hang') this.hanging.add(res);
    else send(answer);
  }

  /** Ends held long polls (empty answer), drops hanging calls and stops the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pump.close();
    this.queue.close();
    this.log.close();
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Answered polls flush first; then keep-alive sockets of the bot's HTTP agent are cut.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.server.closeAllConnections();
    await stopped;
  }
}
