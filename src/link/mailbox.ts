/**
 * A per-key promise chain: work for one user runs strictly one after another, work for
 * different users runs concurrently. It is the same idea as grammY runner's `sequentialize`,
 * applied to the write path so that load → decide → append never interleaves for one user.
 *
 * A failing job does not poison the chain: the next job for the same key still runs. Idle
 * keys are dropped so the map does not grow with every user ever seen.
 *
 * @example
 * const mailbox = new Mailbox<number>();
 * await mailbox.run(userId, async () => service.decideAndAppend(userId, command));
 */
export class Mailbox<K> {
  private readonly tails = new Map<K, Promise<unknown>>();
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  /** Queues `job` behind everything already queued for `key` and resolves with its result. */
  run<T>(key: K, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    this.inFlight++;
    const result = previous.then(job, job);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      if (--this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
    return result;
  }

  /** Number of jobs queued or running, over all keys (for metrics and shutdown). */
  get pending(): number {
    return this.inFlight;
  }

  /** Resolves once no job is queued or running (graceful shutdown waits on this). */
  whenIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
