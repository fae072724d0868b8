/**
 * The order and time budget of a graceful stop. Steps run one after another; a step that
 * *waits for work in hand* (in-flight updates, link lanes, downloads) gets what is left of the
 * grace period and is abandoned (logged) when it runs out, while steps that *close* something
 * (the HTTP server, LevelDB) always run. So a stuck download can delay the exit by at most
 * the grace period, and the data dir is still closed cleanly afterwards.
 *
 * @example
 * const report = await runShutdown([
 *   { name: 'bot', kind: 'wait', run: () => bot.stop() },
 *   { name: 'store', kind: 'close', run: () => store.close() },
 * ], { graceMs: 15_000, logger });
 */
import type { Logger } from '../log.ts';

/** One step of a stop. */
export interface ShutdownStep {
  /** Short name for the log (`bot`, `http`, `links`, `store`). */
  readonly name: string;
  /**
   * `wait`: lets work in hand finish; cut off when the grace period is over.
   * `close`: releases a resource; always awaited.
   */
  readonly kind: 'wait' | 'close';
  /** Gets the milliseconds left of the grace period (e.g. for `http.close(graceMs)`). */
  run(remainingMs: number): Promise<unknown>;
}

/** What happened during a stop. */
export interface ShutdownReport {
  /** `wait` steps cut off by the grace period. */
  readonly timedOut: string[];
  /** Steps that threw (logged as `{ err }`). */
  readonly failed: string[];
}

/** Runs the steps in order within `graceMs`; never throws. */
export async function runShutdown(
  steps: readonly ShutdownStep[],
  options: { graceMs: number; logger: Logger; now?: () => number },
): Promise<ShutdownReport> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.graceMs;
  const report: ShutdownReport = { timedOut: [], failed: [] };
  for (const step of steps) {
    const remaining = Math.max(0, deadline - now());
    try {
      if (step.kind === 'close') {
        await step.run(remaining);
      } else if (!(await finishesWithin(step.run(remaining), remaining))) {
        report.timedOut.push(step.name);
        options.logger.warn({ step: step.name, graceMs: options.graceMs }, 'shutdown: gave up waiting for work in hand');
      }
    } catch (err) {
      report.failed.push(step.name);
      options.logger.error({ err, step: step.name }, 'shutdown step failed');
    }
  }
  return report;
}

/** True when `work` settles within `ms`; its rejection is rethrown. */
async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
    // A step cut off may still fail later: that must not become an unhandled rejection.
    work.catch(() => undefined);
  }
}
