/**
 * Updates of one user are handled one after another, in arrival order; different users run
 * in parallel (the runner handles up to 500 updates at once). This is `sequentialize` from
 * `@grammyjs/runner` with a single numeric key, written as one promise chain per key – the
 * same idea as the link service's per-user mailbox – because the general version (arrays of
 * keys, `Promise.all` per update) cost a third of the bot's throughput in `bench/bot.ts`.
 *
 * A failed update does not block the next one: the chain continues after failures, and the
 * failure still reaches the caller (and so `bot.catch`).
 *
 * @example
 * const queue = createPerUserQueue();
 * bot.use((ctx, next) => queue(ctx.from?.id, next));
 */

/** Runs `task` after every earlier task of `key` settled; without a key it runs at once. */
export type PerUserQueue = (key: number | undefined, task: () => Promise<void>) => Promise<void>;

/** A new, empty queue. Keys are forgotten as soon as their last task settles. */
export function createPerUserQueue(): PerUserQueue {
  const tails = new Map<number, Promise<void>>();
  return (key, task) => {
    if (key === undefined) return task();
    const previous = tails.get(key);
    // After the previous task, whether it succeeded or failed.
    const current = previous ? previous.then(task, task) : task();
    tails.set(key, current);
    // Forget the key once its last task settled (inline callbacks: this runs for every update).
    current.then(
      () => void (tails.get(key) === current && tails.delete(key)),
      () => void (tails.get(key) === current && tails.delete(key)),
    );
    return current;
  };
}
