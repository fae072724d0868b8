/**
 * How often one user may start a Spotify login: at most `max` started logins in any
 * `windowMs` (default 5 in 10 minutes). Every login writes an event, creates and shreds a data
 * key and hands out an authorize URL, so a user (or a script with their account) tapping
 * `/login` in a loop is refused here, in the link service, where every path that starts a
 * login passes.
 *
 * The count lives in memory: a restart forgets it, which at worst allows one more burst.
 * Memory is bounded by the users who started a login within the last window.
 */

/** The `/login` limit: `max` logins per `windowMs` and user. */
export interface LoginRateLimitOptions {
  max: number;
  windowMs: number;
}

/** 5 logins per 10 minutes: enough for mistakes and a second account, not for a loop. */
export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimitOptions = { max: 5, windowMs: 10 * 60_000 };

/** A sliding window of started logins per user. */
export class LoginRateLimit {
  /** Per user, the instants (epoch ms) of the logins started within the window, oldest first. */
  readonly #starts = new Map<number, number[]>();
  #lastPrune = -Infinity;

  constructor(
    private readonly options: LoginRateLimitOptions,
    private readonly now: () => number,
  ) {
    if (!(options.max >= 1) || !(options.windowMs > 0)) throw new RangeError('login rate limit needs max >= 1 and windowMs > 0');
  }

  /**
   * Takes one login for `userId`: 0 when it is allowed (and counted at once, so concurrent
   * `/login`s cannot all slip through), else the seconds until the oldest counted login leaves
   * the window (nothing is counted then: refused taps do not prolong the wait).
   */
  take(userId: number): number {
    const now = this.now();
    this.#prune(now);
    const starts = this.#recent(userId, now);
    if (starts.length >= this.options.max) {
      return Math.max(1, Math.ceil((starts[0]! + this.options.windowMs - now) / 1000));
    }
    starts.push(now);
    this.#starts.set(userId, starts);
    return 0;
  }

  /** Users currently remembered (for tests: memory stays bounded). */
  get size(): number {
    return this.#starts.size;
  }

  /** The user's instants still inside the window (the stored array, pruned in place). */
  #recent(userId: number, now: number): number[] {
    const starts = this.#starts.get(userId) ?? [];
    const from = now - this.options.windowMs;
    while (starts.length > 0 && starts[0]! <= from) starts.shift();
    if (starts.length === 0) this.#starts.delete(userId);
    return starts;
  }

  /** Forgets users whose window has passed, at most once per window. */
  #prune(now: number): void {
    if (now - this.#lastPrune < this.options.windowMs) return;
    this.#lastPrune = now;
    for (const userId of [...this.#starts.keys()]) this.#recent(userId, now);
  }
}
