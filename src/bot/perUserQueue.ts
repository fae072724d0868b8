/**
 * Updates of one user are handled one after another, in arrival order; different users run
 * in parallel. Each user's backlog is bounded, and a waiting update holds none of the
 * runner's concurrency slots: that is what keeps one flooding account from stalling everyone
 * else (issue 11: 530 `/help` in a burst from one user made another user's `/help` wait 28 s,
 * because each waiting update of the flooder kept one of the runner's 500 slots).
 *
 * - A user with nothing running: the update is handled at once and `push` resolves (or
 *   rejects) when it is done, so the runner (or the webhook answer) waits for exactly that one.
 * - A user with an update running: the new one is parked in the user's queue and `push`
 *   resolves at once, so the runner's handler returns and its slot is free. Parked updates
 *   run after the running one, in order; their failures go to `onDetachedError`, since
 *   nobody awaits them any more.
 * - A user with `maxPending` updates running or parked, or a bot with `maxParkedTotal` parked
 *   over all users: the update is dropped (`onDrop`). It was still received, so Telegram
 *   counts it as delivered and does not send it again.
 *
 * One promise chain per key instead of the runner's general `sequentialize` (arrays of keys,
 * `Promise.all` per update), which cost a third of the bot's throughput in `bench/bot.ts`.
 *
 * @example
 * const queue = createPerUserQueue<BotContext>({ handle: (ctx) => route(ctx), onDrop, onDetachedError });
 * bot.use((ctx) => queue.push(ctx.from?.id, ctx));
 */

/** How a {@link PerUserQueue} handles, bounds and reports its items. */
export interface PerUserQueueOptions<T> {
  /** Handles one item (an update's context). */
  readonly handle: (item: T) => Promise<void>;
  /** Items per user, the running one included; beyond it new ones are dropped. Default 20. */
  readonly maxPending?: number;
  /** Parked items over all users; beyond it new ones are dropped. Default 10 000. */
  readonly maxParkedTotal?: number;
  /** Told about every dropped item. */
  readonly onDrop?: (key: number, item: T) => void;
  /** The failure of a parked item, which ran after `push` had returned. */
  readonly onDetachedError?: (err: unknown, item: T) => void;
}

/** The queue; see the module comment. */
export interface PerUserQueue<T> {
  /**
   * Handles `item` now (the promise settles with it), parks it behind the key's running item
   * or drops it (the promise resolves at once). Without a key the item is handled at once.
   */
  push(key: number | undefined, item: T): Promise<void>;
  /** Items of `key` running or parked (0 for an idle key). */
  size(key: number): number;
  /** Parked items over all keys. */
  parked(): number;
  /** Resolves once no key has anything running or parked. */
  idle(): Promise<void>;
}

/** The default bound of one user's backlog. */
export const DEFAULT_MAX_PENDING = 20;

interface KeyState<T> {
  readonly waiting: T[];
}

/** A new, empty queue. Keys are forgotten as soon as their last item settled. */
export function createPerUserQueue<T>(options: PerUserQueueOptions<T>): PerUserQueue<T> {
  const { handle, onDrop, onDetachedError } = options;
  const maxPending = Math.max(1, options.maxPending ?? DEFAULT_MAX_PENDING);
  const maxParkedTotal = options.maxParkedTotal ?? 10_000;
  const keys = new Map<number, KeyState<T>>();
  let parkedTotal = 0;
  let idleWaiters: Array<() => void> = [];

  function start(item: T): Promise<void> {
    try {
      return handle(item);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The key's running item settled: run its next parked one, or forget the key. */
  function next(key: number, state: KeyState<T>): void {
    const item = state.waiting.shift();
    if (item === undefined) {
      keys.delete(key);
      if (keys.size === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
      return;
    }
    parkedTotal -= 1;
    start(item).then(
      () => next(key, state),
      (err: unknown) => {
        try {
          onDetachedError?.(err, item);
        } catch {
          // Reporting a failure must not stall the user's queue.
        }
        next(key, state);
      },
    );
  }

  return {
    push(key, item) {
      if (key === undefined) return start(item);
      const state = keys.get(key);
      if (state) {
        if (1 + state.waiting.length >= maxPending || parkedTotal >= maxParkedTotal) onDrop?.(key, item);
        else {
          state.waiting.push(item);
          parkedTotal += 1;
        }
        return Promise.resolve();
      }
      const fresh: KeyState<T> = { waiting: [] };
      keys.set(key, fresh);
      const running = start(item);
      const after = (): void => next(key, fresh);
      running.then(after, after);
      return running;
    },
    size: (key) => {
      const state = keys.get(key);
      return state ? 1 + state.waiting.length : 0;
    },
    parked: () => parkedTotal,
    idle: () => (keys.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
  };
}
