/**
 * One serial lane per user: the jobs of one key run one after another, in arrival order;
 * jobs of different keys run concurrently. The bot uses it so one user's updates never
 * interleave (`src/bot/userBacklog.ts`), the link service so load → decide → append never
 * interleaves for one user (`src/link`).
 *
 * - A key with nothing running: the job starts at once (synchronously), so a lone job costs
 *   no extra turn of the event loop.
 * - A key with a job running: the job waits in the key's lane and starts when the one
 *   before it settled. Its promise settles with the job's own result.
 * - A failing job rejects its own promise only: the next job of the key still runs.
 * - Bounds (optional, for callers that must shed load): {@link SerialQueue.tryRun} refuses
 *   a job when its key already has `maxPending` jobs, or when `maxWaitingTotal` jobs wait
 *   over all keys. {@link SerialQueue.run} never refuses.
 * - A key is forgotten as soon as its last job settled, so the map does not grow with every
 *   user ever seen.
 *
 * Why a lane array and not a promise chain per key (`tail = tail.then(job)`): the bot hands
 * thousands of updates a second to it (`bench/bot.ts`), and a lone job then needs neither a
 * chained promise nor a microtask before it starts.
 *
 * @example
 * // The link service: every command of a user in that user's lane.
 * const lanes = new SerialQueue<number>();
 * const result = await lanes.run(userId, () => decideAndAppend(userId, command));
 * await lanes.whenIdle(); // shutdown: nothing queued or running any more
 *
 * // The bot: bounded, and a caller that is refused drops the update.
 * const lanes = new SerialQueue<number>({ maxPending: 20, maxWaitingTotal: 10_000 });
 * const handled = lanes.tryRun(userId, () => route(ctx));
 * if (handled === undefined) reportDrop(ctx);
 */

/** Bounds checked by {@link SerialQueue.tryRun}. */
export interface SerialQueueOptions {
  /** Jobs per key, the running one included, beyond which `tryRun` refuses. Default: no bound. */
  readonly maxPending?: number;
  /** Waiting jobs over all keys beyond which `tryRun` refuses. Default: no bound. */
  readonly maxWaitingTotal?: number;
}

/** The per-key serial queue; see the module comment. */
export class SerialQueue<K> {
  /** The starters of the jobs waiting behind each busy key's running job. */
  readonly #lanes = new Map<K, Array<() => void>>();
  readonly #maxPending: number;
  readonly #maxWaitingTotal: number;
  #pending = 0;
  #waiting = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: SerialQueueOptions = {}) {
    this.#maxPending = Math.max(1, options.maxPending ?? Number.POSITIVE_INFINITY);
    this.#maxWaitingTotal = options.maxWaitingTotal ?? Number.POSITIVE_INFINITY;
  }

  /** Runs `job` after everything queued for `key` and settles with its result. */
  run<T>(key: K, job: () => Promise<T>): Promise<T> {
    const lane = this.#lanes.get(key);
    this.#pending += 1;
    if (lane === undefined) {
      this.#lanes.set(key, []);
      return this.#start(key, job);
    }
    this.#waiting += 1;
    return new Promise<T>((resolve, reject) => {
      lane.push(() => void this.#start(key, job).then(resolve, reject));
    });
  }

  /**
   * {@link run}, unless the bounds are reached: then `job` is not run and the answer is
   * `undefined` (the caller decides what a refused job means).
   */
  tryRun<T>(key: K, job: () => Promise<T>): Promise<T> | undefined {
    const lane = this.#lanes.get(key);
    if (lane !== undefined && (1 + lane.length >= this.#maxPending || this.#waiting >= this.#maxWaitingTotal)) return undefined;
    return this.run(key, job);
  }

  /** Jobs of `key` running or waiting (0 for an idle key). */
  size(key: K): number {
    const lane = this.#lanes.get(key);
    return lane === undefined ? 0 : 1 + lane.length;
  }

  /** Jobs running or waiting over all keys (for metrics and shutdown). */
  get pending(): number {
    return this.#pending;
  }

  /** Jobs waiting (not yet started) over all keys. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Resolves once no job is running or waiting (graceful shutdown waits on this). */
  whenIdle(): Promise<void> {
    return this.#pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Starts `job` now; when it settles, the key's next job starts (or the key is forgotten). */
  #start<T>(key: K, job: () => Promise<T>): Promise<T> {
    let running: Promise<T>;
    try {
      running = job();
    } catch (err) {
      running = Promise.reject(err);
    }
    const after = (): void => this.#next(key);
    running.then(after, after);
    return running;
  }

  #next(key: K): void {
    this.#pending -= 1;
    const lane = this.#lanes.get(key)!;
    const start = lane.shift();
    if (start !== undefined) {
      this.#waiting -= 1;
      start();
      return;
    }
    this.#lanes.delete(key);
    if (this.#pending === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
