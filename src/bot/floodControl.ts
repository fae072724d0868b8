/**
 * An outbound API transformer that keeps the bot inside Telegram's flood limits, so that 429s
 * stay rare (auto-retry handles the ones that still come): about 30 messages per second
 * overall, about one per second in one private chat (short bursts allowed), 20 per minute in
 * one group. Calls without a `chat_id` (answers to callback and inline queries, `getUpdates`)
 * pass untouched.
 *
 * Token buckets: a call that finds a token in its chat's bucket and the global one goes out at
 * once, with no timer and no queue (the common case costs two map reads). Otherwise it waits
 * in its chat's FIFO queue, so the messages of one chat never overtake each other.
 *
 * Written instead of `@grammyjs/transformer-throttler` because Bottleneck costs milliseconds per
 * call (the bot benchmark fell from ~40,000 to ~300 updates/s with it) and its defaults space
 * every message of a private chat by a full second, bursts included.
 */
import type { Transformer } from 'grammy';

/** The limits; `Infinity` turns one off. */
export interface FloodLimits {
  /** Messages per second over all chats. */
  readonly globalPerSecond: number;
  /** Sustained messages per second in one private chat… */
  readonly privatePerSecond: number;
  /** …and how many may go out back to back before that rate applies. */
  readonly privateBurst: number;
  /** Messages per minute in one group or channel (also the burst). */
  readonly groupPerMinute: number;
}

/** Telegram's published limits (the Bot FAQ, "My bot is hitting limits"; see docs/bot.md). */
export const TELEGRAM_FLOOD_LIMITS: FloodLimits = Object.freeze({
  globalPerSecond: 30,
  privatePerSecond: 1,
  privateBurst: 3,
  groupPerMinute: 20,
});

/** Methods that name a chat but send nothing into it. */
const FREE = new Set(['sendChatAction', 'getChat', 'getChatMember', 'getChatAdministrators', 'getChatMemberCount']);
/** Chats whose buckets are kept before idle ones are forgotten. */
const MAX_CHATS = 5_000;

class Bucket {
  tokens: number;
  at: number;
  constructor(
    readonly capacity: number,
    /** Tokens per ms. */
    readonly rate: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  refill(now: number): void {
    if (this.capacity === Infinity || now <= this.at) return;
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.rate);
    this.at = now;
  }

  /** Ms until a token is there (0: now). */
  wait(): number {
    return this.capacity === Infinity || this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.rate);
  }
}

interface ChatState {
  bucket: Bucket;
  queue: Array<() => void>;
  timer: NodeJS.Timeout | undefined;
}

/** The clock the transformer reads (tests move it by hand). */
export interface FloodClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): NodeJS.Timeout;
}

const systemClock: FloodClock = { now: () => performance.now(), setTimeout: (fn, ms) => setTimeout(fn, ms) };

/** The transformer; install it inside auto-retry so a retried call is limited again. */
export function floodControl(limits: FloodLimits = TELEGRAM_FLOOD_LIMITS, clock: FloodClock = systemClock): Transformer {
  const global = new Bucket(limits.globalPerSecond, limits.globalPerSecond / 1000, clock.now());
  const chats = new Map<string, ChatState>();

  function stateOf(chatId: string): ChatState {
    let state = chats.get(chatId);
    if (state) return state;
    if (chats.size >= MAX_CHATS) forgetIdle();
    const group = chatId.startsWith('-') || chatId.startsWith('@');
    const bucket = group
      ? new Bucket(limits.groupPerMinute, limits.groupPerMinute / 60_000, clock.now())
      : new Bucket(limits.privateBurst, limits.privatePerSecond / 1000, clock.now());
    state = { bucket, queue: [], timer: undefined };
    chats.set(chatId, state);
    return state;
  }

  /** Drops chats with nothing queued whose bucket is full again: they are as good as new. */
  function forgetIdle(): void {
    const now = clock.now();
    for (const [id, s] of chats) {
      s.bucket.refill(now);
      if (s.queue.length === 0 && s.bucket.tokens >= s.bucket.capacity) chats.delete(id);
    }
  }

  /** Takes a token from the chat and the global bucket, or says how long to wait. */
  function take(state: ChatState): number {
    const now = clock.now();
    state.bucket.refill(now);
    global.refill(now);
    const wait = Math.max(state.bucket.wait(), global.wait());
    if (wait > 0) return wait;
    state.bucket.tokens -= 1;
    global.tokens -= 1;
    return 0;
  }

  function pump(state: ChatState): void {
    state.timer = undefined;
    while (state.queue.length > 0) {
      const wait = take(state);
      if (wait > 0) {
        state.timer = clock.setTimeout(() => pump(state), wait);
        state.timer.unref?.();
        return;
      }
      state.queue.shift()!();
    }
  }

  return (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (chatId === undefined || FREE.has(method)) return prev(method, payload, signal);
    const state = stateOf(String(chatId));
    if (state.queue.length === 0 && take(state) === 0) return prev(method, payload, signal);
    return new Promise<void>((resolve) => {
      state.queue.push(resolve);
      if (state.timer === undefined) pump(state);
    }).then(() => prev(method, payload, signal));
  };
}
