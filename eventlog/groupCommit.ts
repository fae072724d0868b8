/**
 * The single writer of a store, with group commit. Appends that arrive while a batch is
 * being written wait in a queue and are then written together in the next batch: one
 * synced write serves many users, and because only one batch is ever in flight the global
 * position has no gaps and follows commit order.
 *
 * Exclusive tasks (rebuild, verify, vault rewrap) take the writer alone: appends queued
 * behind them wait until they finish.
 *
 * @module
 */

type Job<J> = { kind: 'group'; job: J } | { kind: 'exclusive'; run: () => Promise<void> };

/** A serial writer that hands consecutive queued jobs to `commitGroup` together. */
export class GroupCommitQueue<J> {
  #queue: Job<J>[] = [];
  #running = false;
  #idle: (() => void)[] = [];

  /**
   * @param commitGroup writes a group and settles each job itself; it must not throw.
   * @param maxGroup most jobs per group.
   */
  constructor(
    private readonly commitGroup: (jobs: J[]) => Promise<void>,
    private readonly maxGroup: number,
  ) {}

  /** Queues a job for the next group. */
  push(job: J): void {
    this.#queue.push({ kind: 'group', job });
    this.#kick();
  }

  /** Runs `fn` with the writer held; jobs queued meanwhile wait. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Through a promise so that a synchronous throw in `fn` rejects instead of stopping the writer.
      this.#queue.push({ kind: 'exclusive', run: () => Promise.resolve().then(fn).then(resolve, reject) });
      this.#kick();
    });
  }

  /** Resolves once nothing is queued or being written. */
  drained(): Promise<void> {
    if (!this.#running && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #kick(): void {
    if (this.#running) return;
    this.#running = true;
    // Start on the next microtask so that appends issued in the same tick share the batch.
    queueMicrotask(() => void this.#loop());
  }

  async #loop(): Promise<void> {
    while (this.#queue.length > 0) {
      const first = this.#queue[0]!;
      if (first.kind === 'exclusive') {
        this.#queue.shift();
        await first.run().catch(() => {});
        continue;
      }
      let n = 0;
      while (n < this.#queue.length && n < this.maxGroup && this.#queue[n]!.kind === 'group') n++;
      const group = this.#queue.splice(0, n).map((j) => (j as { job: J }).job);
      // commitGroup settles its jobs; a bug in it must still not stop the writer.
      await this.commitGroup(group).catch(() => {});
    }
    this.#running = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
