/**
 * Telegram's side of webhook mode: POSTing an update to the bot's webhook URL with the
 * `X-Telegram-Bot-Api-Secret-Token` header, and reading a "webhook reply" (an API call the bot
 * put in the response body) from the answer.
 */
import { request } from 'node:http';
import type { Update } from 'grammy/types';

/** The bot's answer to one webhook POST. */
export interface WebhookResponse {
  status: number;
  body: string;
  /** The answer's `Retry-After` in seconds, 0 when it has none. */
  retryAfterSec: number;
}

/** POSTs one update to `url` (plain http; the bot under test serves locally). */
export function postUpdate(url: string, update: Update, secretToken?: string): Promise<WebhookResponse> {
  const target = new URL(url);
  if (target.protocol !== 'http:') return Promise.reject(new Error(`the fake delivers webhooks over http only, not ${target.protocol}`));
  const body = JSON.stringify(update);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  if (secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = secretToken;
  return new Promise((resolve, reject) => {
    // No keep-alive agent: a pooled socket would keep the test process alive after the run.
    const req = request(target, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const retryAfter = Number(res.headers['retry-after']);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfterSec: Number.isSafeInteger(retryAfter) ? retryAfter : 0 }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The API call in a webhook reply body (`{"method": "sendMessage", ...}`), if there is one. */
export function webhookReplyCall(body: string): { method: string; params: Record<string, unknown> } | undefined {
  if (!body.trim().startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const { method, ...params } = parsed;
    return typeof method === 'string' ? { method, params } : undefined;
  } catch {
    return undefined;
  }
}

/** How {@link WebhookPump} hands updates over and learns the outcome. */
export interface WebhookPumpDeps {
  /** The next update waiting for the bot, removed from the fake's queue. */
  take(): Update | undefined;
  /** POSTs one update to the webhook set now; rejects when it cannot be reached. */
  post(update: Update): Promise<{ status: number; retryAfterSec: number }>;
  /** Every answered POST (status 0: unreachable), retries included. */
  answered(updateId: number, status: number): void;
  /** The webhook's `max_connections`; Telegram's default is 40. */
  maxConnections(): number;
  /** Milliseconds in one of Telegram's seconds: 1000 for real time, less to compress a test. */
  readonly secondMs: number;
}

interface Held {
  update: Update;
  /** In Telegram's seconds, as `WebhookActor::Update::delay_`. */
  delay: number;
  failures: number;
  wakeAt: number;
  expiresAt: number;
}

/**
 * Delivery the way Telegram's Bot API server does it (tdlib/telegram-bot-api at 01a3679,
 * `telegram-bot-api/WebhookActor.cpp` and `Client.cpp`, read 2026-12-03):
 * - updates are grouped in queues: messages by chat, inline queries, chosen inline results and
 *   button presses by user (`webhook_queue_id`); only the oldest update of a queue is in flight,
 *   the next one goes once it is answered 2xx; different queues go in parallel, on at most
 *   `max_connections` connections;
 * - an answer other than 2xx, or no answer, is retried (`on_update_error`): at once the first
 *   time, then after 2, 4, 8 … s (capped at a random 60–120 s), or after the answer's
 *   `Retry-After` (at most 3600 s); an update is dropped only when it expires: messages a day
 *   after they were sent, inline queries after 30 s, chosen inline results after 600 s, button
 *   presses after 150 s (`add_update` timeouts). A message's age is not counted here: its day
 *   starts when the fake queues it.
 */
export class WebhookPump {
  readonly #queues = new Map<string, Held[]>();
  readonly #inFlight = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly deps: WebhookPumpDeps) {}

  /** Takes what the fake queued and sends what may go now. */
  wake(): void {
    if (this.#closed) return;
    const now = Date.now();
    for (let u = this.deps.take(); u; u = this.deps.take()) {
      const [queue, lifeSec] = queueOf(u);
      const held = this.#queues.get(queue) ?? [];
      held.push({ update: u, delay: 1, failures: 0, wakeAt: now, expiresAt: now + lifeSec * this.deps.secondMs });
      this.#queues.set(queue, held);
    }
    let nextWake = Infinity;
    for (const [queue, held] of this.#queues) {
      if (this.#inFlight.has(queue)) continue;
      if (this.#inFlight.size >= this.deps.maxConnections()) break;
      const head = held[0]!;
      if (head.wakeAt > now) {
        nextWake = Math.min(nextWake, head.wakeAt);
        continue;
      }
      this.#inFlight.add(queue);
      void this.#send(queue, head);
    }
    if (nextWake !== Infinity) this.#wakeAt(nextWake);
  }

  /** Stops sending; updates still held are forgotten. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#queues.clear();
  }

  async #send(queue: string, head: Held): Promise<void> {
    const answer = await this.deps.post(head.update).catch(() => ({ status: 0, retryAfterSec: 0 }));
    this.#inFlight.delete(queue);
    if (this.#closed) return;
    this.deps.answered(head.update.update_id, answer.status);
    const held = this.#queues.get(queue)!;
    if (answer.status >= 200 && answer.status <= 299) {
      this.#forget(queue, held);
    } else {
      // WebhookActor::on_update_error: the first retry waits only for Retry-After.
      let wait = Math.min(Math.max(answer.retryAfterSec, 0), 3600);
      if (wait === 0 && head.failures > 0) {
        head.delay = Math.min(60 + Math.floor(Math.random() * 61), head.delay * 2);
        wait = head.delay;
      }
      head.failures++;
      head.wakeAt = Date.now() + wait * this.deps.secondMs;
      if (head.wakeAt > head.expiresAt) this.#forget(queue, held);
    }
    this.wake();
  }

  #forget(queue: string, held: Held[]): void {
    held.shift();
    if (held.length === 0) this.#queues.delete(queue);
  }

  #wakeAt(at: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.wake(), Math.max(0, at - Date.now()));
    this.#timer.unref();
  }
}

/** The update's webhook queue and its life in seconds, as `Client::add_update` sets them. */
function queueOf(u: Update): [string, number] {
  if (u.inline_query) return [`inline:${u.inline_query.from.id}`, 30];
  if (u.chosen_inline_result) return [`chosen:${u.chosen_inline_result.from.id}`, 600];
  if (u.callback_query) return [`button:${u.callback_query.from.id}`, 150];
  const message = u.message ?? u.edited_message ?? u.channel_post ?? u.edited_channel_post;
  if (message) return [`chat:${message.chat.id}`, 86_400];
  return [`update:${u.update_id}`, 86_400];
}
