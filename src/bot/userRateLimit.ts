/**
 * Per-user limits that keep one user from spending what everybody shares: the bot's
 * concurrency (a bounded backlog, `userBacklog.ts`), the Spotify app's rate limit (a number
 * of Spotify-reading commands per minute) and Telegram's patience (one "slow down" notice per
 * minute, not one per dropped update).
 */

/** The limits; tests and the benchmark lower them, production keeps {@link DEFAULT_USER_LIMITS}. */
export interface UserLimits {
  /** Updates of one user running or waiting; beyond it new ones are dropped. */
  readonly backlog: number;
  /** `/now`, `/recent` and its page buttons per user per minute (each reads Spotify). */
  readonly spotifyPerMinute: number;
  /** How long an inline query reuses the Spotify reads of the same user's last one, in ms. */
  readonly inlineReuseMs: number;
}

/** The production limits. */
export const DEFAULT_USER_LIMITS: UserLimits = Object.freeze({
  backlog: 20,
  // /recent and its four page buttons, /now a few times: generous for a person, not for a script.
  spotifyPerMinute: 15,
  inlineReuseMs: 5_000,
});

/**
 * At most `limit` uses per user in any `windowMs` (a sliding window: the times of the last
 * `limit` uses are kept per user). Bounded: beyond `capacity` users the least recently seen
 * one is forgotten, which only ever lets that user start afresh.
 *
 * @example
 * const limit = new UserRateLimit(15, 60_000, Date.now);
 * const waitMs = limit.take(userId);
 * if (waitMs > 0) return ctx.reply(ctx.t('spotify-too-often', { seconds: Math.ceil(waitMs / 1000) }));
 */
export class UserRateLimit {
  readonly #uses = new Map<number, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly now: () => number,
    readonly capacity = 100_000,
  ) {}

  /** Counts a use by `userId` and returns 0, or returns the ms until one is allowed (nothing counted). */
  take(userId: number): number {
    if (this.limit === Infinity) return 0;
    const now = this.now();
    const uses = this.#uses.get(userId) ?? [];
    // Re-inserted on every use, so the first key of the map is the least recently seen user.
    this.#uses.delete(userId);
    this.#uses.set(userId, uses);
    if (this.#uses.size > this.capacity) this.#uses.delete(this.#uses.keys().next().value!);
    while (uses.length > 0 && uses[0]! <= now - this.windowMs) uses.shift();
    if (uses.length >= this.limit) return Math.max(1, uses[0]! + this.windowMs - now);
    uses.push(now);
    return 0;
  }

  /** The ms until `userId` may use it again (0: now), without counting a use. */
  peek(userId: number): number {
    const uses = this.#uses.get(userId);
    if (this.limit === Infinity || !uses || uses.length < this.limit) return 0;
    const cutoff = this.now() - this.windowMs;
    const inWindow = uses.filter((at) => at > cutoff);
    return inWindow.length < this.limit ? 0 : Math.max(1, inWindow[0]! + this.windowMs - this.now());
  }

  /** Users currently remembered (for tests: it never exceeds `capacity`). */
  get users(): number {
    return this.#uses.size;
  }
}
