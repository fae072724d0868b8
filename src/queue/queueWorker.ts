/**
 * The working side of one instance: `concurrency` loops, each of which takes a global slot,
 * fetches the oldest job of a user with nothing running, runs the handler and settles the job.
 *
 * Why a slot before the fetch: a fetched job is `active` and its deadline runs, so a worker
 * must never hold a job it is not allowed to start. Why one job per fetch: pg-boss orders a
 * multi-job fetch inside one group by job id (a random uuid), so only a single-job fetch keeps
 * a user's jobs in the order they were sent.
 */
import type { Job } from 'pg-boss';
import { codeOf, QueueError } from './errors.ts';
import type { JobOutcome } from './messages.ts';
import { adapter, type QueueRuntime } from './runtime.ts';

/**
 * Runs one job. `signal` aborts with a {@link QueueError} (`QUEUE_CANCELLED`, `QUEUE_TIMEOUT`,
 * `QUEUE_SHUTDOWN`); the handler must settle soon after. `progress` reaches the submitter;
 * `jobId` is the id `submit` answered.
 * A throw ends the job as failed with the error's `code` (not retried: retries are for dead
 * workers only).
 */
export type JobHandler<P, G> = (payload: P, signal: AbortSignal, progress: (value: G) => Promise<void>, jobId: string) => Promise<void>;

/** Options of `PgQueue.work`. */
export interface WorkOptions {
  /** Jobs this instance runs at once, within the global cap (default 2). */
  readonly concurrency?: number;
}

interface Running {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** See the module comment. */
export class QueueWorker<P extends object, G> {
  readonly #rt: QueueRuntime<P, G>;
  readonly #handler: JobHandler<P, G>;
  readonly #running = new Map<string, Running>();
  /** Slots this session holds: advisory locks are re-entrant per session, so the loops must not share one. */
  readonly #slots = new Set<number>();
  readonly #loops: Promise<void>[];
  readonly #sleepers = new Set<() => void>();
  #stopping = false;

  constructor(rt: QueueRuntime<P, G>, handler: JobHandler<P, G>, options: WorkOptions) {
    this.#rt = rt;
    this.#handler = handler;
    const n = Math.max(1, options.concurrency ?? 2);
    this.#loops = Array.from({ length: n }, () => this.#loop());
  }

  /** Ends the idle waits now (a job was submitted, or a slot freed). */
  wake(): void {
    for (const wake of [...this.#sleepers]) wake();
  }

  /** Aborts `jobId` when it runs here. */
  cancelLocal(jobId: string): void {
    this.#running.get(jobId)?.controller.abort(new QueueError('QUEUE_CANCELLED', 'cancelled by the user'));
  }

  /** Stops fetching; gives running jobs `graceMs`, then aborts them with `QUEUE_SHUTDOWN`. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.wake();
    const all = () => Promise.all([...this.#running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const r of this.#running.values()) r.controller.abort(new QueueError('QUEUE_SHUTDOWN', 'the worker is shutting down'));
    await all();
    await Promise.all(this.#loops);
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      try {
        const slot = await this.#takeSlot();
        if (slot === undefined) {
          await this.#sleep();
          continue;
        }
        try {
          const job = this.#stopping ? undefined : await this.#fetchOne();
          if (job) await this.#run(job);
          else await this.#sleep();
        } finally {
          await this.#releaseSlot(slot);
        }
      } catch (err) {
        if (this.#stopping) return;
        this.#rt.log.warn({ err: { message: (err as Error).message } }, 'job queue: worker loop error');
        await this.#sleep();
      }
    }
  }

  /**
   * Claims the oldest job of a user with nothing running, and its liveness lock, in one
   * transaction on the session: a reaper that sees the job active also sees the lock, so a live
   * worker's job is never taken for a dead one's (a fetch on another connection, locked after,
   * left a window in which a busy worker lost a running job).
   */
  async #fetchOne(): Promise<Job<P> | undefined> {
    const { boss, keys } = this.#rt;
    return this.#rt.onSessionTransaction(async (session) => {
      // pg-boss's groupConcurrency counts a group's active jobs in the fetch's snapshot, so two
      // concurrent fetches both see a user idle and both start one of theirs (observed: 3 of a
      // user's jobs at once). Taking turns makes each fetch see the previous one's claim.
      await session.query('SELECT pg_advisory_xact_lock($1)', [keys.fetchKey]);
      const jobs = await boss.fetch<P>(keys.name, { batchSize: 1, groupConcurrency: 1, db: adapter(session) });
      const job = jobs?.[0];
      if (job) await session.query('SELECT pg_advisory_lock($1, hashtext($2) & 2147483647)', [keys.jobClass, job.id]);
      return job;
    });
  }

  async #takeSlot(): Promise<number | undefined> {
    const { keys, globalConcurrency } = this.#rt;
    for (let slot = 0; slot < globalConcurrency; slot++) {
      if (this.#slots.has(slot)) continue;
      this.#slots.add(slot); // claimed locally before the round trip, so a sibling loop skips it
      const { rows } = await this.#rt.onSession<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [keys.slotClass, slot]).catch((err) => {
        this.#slots.delete(slot);
        throw err;
      });
      if (rows[0]?.ok) return slot;
      this.#slots.delete(slot);
    }
    return undefined;
  }

  async #releaseSlot(slot: number): Promise<void> {
    try {
      await this.#rt.onSession('SELECT pg_advisory_unlock($1, $2)', [this.#rt.keys.slotClass, slot]);
    } finally {
      this.#slots.delete(slot);
    }
  }

  #sleep(): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.#rt.pollMs);
      this.#sleepers.add(wake);
    });
  }

  async #run(job: Job<P>): Promise<void> {
    const { keys, boss, log } = this.#rt;
    const attempt = { id: job.id, retryCount: job.retryCount };
    // The liveness lock (taken with the claim) is held while this session lives: reapers leave the job alone.
    const controller = new AbortController();
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    this.#running.set(job.id, { controller, done });
    const deadline = setTimeout(() => controller.abort(new QueueError('QUEUE_TIMEOUT', `the job took longer than ${this.#rt.jobTimeoutMs} ms`)), this.#rt.jobTimeoutMs);
    const heartbeat = setInterval(() => void boss.touch(keys.name, attempt).catch(() => undefined), (this.#rt.heartbeatSeconds * 1000) / 2);
    let verdict: JobOutcome;
    try {
      const payload = this.#rt.payload.safeParse(job.data);
      if (!payload.success) throw new QueueError('QUEUE_BAD_PAYLOAD', 'the stored payload does not match the schema');
      await this.#handler(payload.data, controller.signal, (value) => this.#progress(job.id, value), job.id);
      verdict = { status: 'done' };
    } catch (err) {
      verdict = { status: 'failed', code: codeOf(err), message: err instanceof QueueError ? err.message : 'the job failed' };
    } finally {
      clearTimeout(deadline);
      clearInterval(heartbeat);
    }
    try {
      const reason = controller.signal.reason as unknown;
      const code = reason instanceof QueueError ? reason.code : undefined;
      if (code === 'QUEUE_CANCELLED') {
        // The row is already cancelled and the canceller announced the end.
      } else if (code === 'QUEUE_SHUTDOWN') {
        // Not the job's fault: back to the queue for another worker. Its one retry is for a
        // worker that dies, so the hand-back raises the job's retry limit first (the next claim
        // counts as an attempt); otherwise a stop during the retry would fail it for good.
        await this.#rt.transaction(async (tx) => {
          await tx.query(`UPDATE ${this.#rt.schema}.job SET retry_limit = retry_limit + 1 WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $3`, [keys.name, job.id, job.retryCount]);
          await boss.fail(keys.name, attempt, { code: 'QUEUE_SHUTDOWN' }, { db: adapter(tx) });
        });
        await this.#rt.notify({ t: 'wake' });
      } else {
        // completed with the verdict in its output; a handler's own error is final, not retried.
        await boss.complete(keys.name, attempt, verdict);
        await this.#rt.notify({ t: 'end', job: job.id, outcome: verdict });
      }
    } catch (err) {
      log.warn({ job: job.id, err: { message: (err as Error).message } }, 'job queue: could not settle a job');
    } finally {
      await this.#rt.onSession('SELECT pg_advisory_unlock($1, hashtext($2) & 2147483647)', [keys.jobClass, job.id]).catch(() => undefined);
      this.#running.delete(job.id);
      settle();
    }
  }

  async #progress(jobId: string, value: G): Promise<void> {
    const parsed = this.#rt.progress.safeParse(value);
    if (!parsed.success) throw new QueueError('QUEUE_BAD_PAYLOAD', 'progress refused by its schema');
    await this.#rt.notify({ t: 'progress', job: jobId, data: parsed.data });
  }
}
