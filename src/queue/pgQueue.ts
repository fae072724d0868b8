/**
 * A PostgreSQL-backed job queue shared by any number of processes: web instances submit and
 * cancel, worker instances run jobs, and everyone sees progress and outcomes. Built on pg-boss
 * (see `docs/queue.md` for why), with three things pg-boss does not do the way a chat bot needs
 * them, added on its own tables and on PostgreSQL advisory locks:
 *
 * - **per-user limits**: a user has at most one running job (pg-boss `groupConcurrency: 1`
 *   with the user as the group, fetched one job at a time so the user's oldest job goes first)
 *   and `perUserWaiting` waiting; `submit` counts the user's jobs under a per-user transaction
 *   lock, so two web instances cannot both admit the fifth job;
 * - **a global cap** (`globalConcurrency`) across all workers: a worker holds one of N
 *   session-level advisory locks (slots) before it fetches a job, and PostgreSQL frees the slot
 *   when the session ends, even on SIGKILL;
 * - **dead workers found at once**: the worker also holds an advisory lock named after the
 *   running job; an active job whose lock nobody holds has lost its worker, and any instance's
 *   reaper fails it (pg-boss retries it once, `retryLimit: 1`), then reports it failed. pg-boss's
 *   own heartbeat (`heartbeatSeconds`) stays on as the backstop for a worker that hangs alive.
 *
 * Cancel, progress and outcomes travel by `NOTIFY` on the queue's channel; the job row stays
 * the truth (outcomes are also polled).
 *
 * @example
 * const queue = await PgQueue.open({ connectionString, payload: Payload, progress: Progress });
 * const r = await queue.submit(userId, { link });
 * if (r.accepted) queue.onProgress(r.jobId, (p) => edit(p)), console.log(await queue.outcome(r.jobId));
 * // in a worker process:
 * await queue.work(async (payload, signal, progress) => { await progress({ step: 'download' }); … });
 */
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import type { z } from 'zod';
import { redactUrl } from '../../eventlog/postgres/index.ts';
import { QueueError } from './errors.ts';
import { queueKeys, type QueueKeys } from './keys.ts';
import { outcomeOfRow, parseMessage, type JobOutcome, type QueueMessage } from './messages.ts';
import { QueueWorker, type JobHandler, type WorkOptions } from './queueWorker.ts';
import { reapLostJobs } from './reaper.ts';
import { adapter, NO_LOG, QueueRuntime, type QueueLogger } from './runtime.ts';

export type { JobOutcome } from './messages.ts';
export type { JobHandler, WorkOptions } from './queueWorker.ts';

/** Options of {@link PgQueue.open}. */
export interface PgQueueOptions<P extends object, G> {
  /** `DATABASE_URL`. Logged only with its password replaced. */
  readonly connectionString: string;
  /** Validates payloads on submit and again in the worker. */
  readonly payload: z.ZodType<P>;
  /** Validates progress values in the worker and again in the submitter. */
  readonly progress: z.ZodType<G>;
  /** The queue (`[a-z][a-z0-9_]*`, default `downloads`): its pg-boss queue, locks and channel. */
  readonly name?: string;
  /** pg-boss's schema (default `pgboss`). */
  readonly schema?: string;
  /** Jobs a user may have waiting behind their running one (default 3). */
  readonly perUserWaiting?: number;
  /** Jobs running at once across all workers (default 4). */
  readonly globalConcurrency?: number;
  /** A running job's deadline (default 10 min); its signal aborts with `QUEUE_TIMEOUT`. */
  readonly jobTimeoutMs?: number;
  /** pg-boss heartbeat, the backstop for hung workers (default 30, at least 10). */
  readonly heartbeatSeconds?: number;
  /**
   * How old an active job must be before a missing liveness lock counts as a dead worker
   * (default 1 s). Our claims take the lock in the fetch's transaction, so this only covers
   * jobs activated some other way (pg-boss tools).
   */
  readonly claimGraceMs?: number;
  /** How often this instance looks for jobs of dead workers (default 1 s). */
  readonly reapIntervalMs?: number;
  /** How often idle workers and outcome waiters look at the table besides `NOTIFY` (default 500 ms). */
  readonly pollMs?: number;
  readonly logger?: QueueLogger;
  /**
   * Called once, in the instance whose reaper found it, for a job that lost its second worker
   * and ended `failed` with `QUEUE_WORKER_LOST`: the submitter's user should hear of it even when
   * the submitting instance is gone too. Its errors are logged.
   */
  readonly onLost?: (jobId: string, payload: P) => Promise<void>;
}

/** The answer to {@link PgQueue.submit}. */
export type SubmitResult = { readonly accepted: true; readonly jobId: string } | { readonly accepted: false; readonly reason: 'busy' | 'closed' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCHEMA = /^[a-z_][a-z0-9_]{0,56}$/;
const LIVE_STATES = ['created', 'retry', 'active'];

/** See the module comment. */
export class PgQueue<P extends object, G> {
  readonly #rt: QueueRuntime<P, G>;
  readonly #progress = new Map<string, Set<(value: G) => void>>();
  readonly #ends = new Map<string, Set<(o: JobOutcome | Error) => void>>();
  readonly #reaper: NodeJS.Timeout;
  #reaping = false;
  #worker: QueueWorker<P, G> | undefined;
  #closed = false;

  private constructor(rt: QueueRuntime<P, G>) {
    this.#rt = rt;
    rt.session.on('notification', (n) => {
      if (n.channel === rt.keys.channel) this.#onMessage(parseMessage(n.payload));
    });
    this.#reaper = setInterval(() => void this.#reap(), rt.reapIntervalMs);
    this.#reaper.unref();
  }

  /** Connects, installs or migrates pg-boss's schema, creates the queue and starts listening. */
  static async open<P extends object, G>(o: PgQueueOptions<P, G>): Promise<PgQueue<P, G>> {
    const keys: QueueKeys = queueKeys(o.name ?? 'downloads');
    const schema = o.schema ?? 'pgboss';
    if (!SCHEMA.test(schema)) throw new QueueError('QUEUE_CONFIG', `schema ${JSON.stringify(schema)} must match ${SCHEMA}`);
    const globalConcurrency = o.globalConcurrency ?? 4;
    const perUserWaiting = o.perUserWaiting ?? 3;
    const jobTimeoutMs = o.jobTimeoutMs ?? 10 * 60_000;
    const heartbeatSeconds = o.heartbeatSeconds ?? 30;
    if (!(globalConcurrency >= 1 && perUserWaiting >= 0 && jobTimeoutMs >= 1 && heartbeatSeconds >= 10)) {
      throw new QueueError('QUEUE_CONFIG', 'globalConcurrency ≥ 1, perUserWaiting ≥ 0, jobTimeoutMs ≥ 1 and heartbeatSeconds ≥ 10');
    }
    const log = o.logger ?? NO_LOG;
    log.info({ database: redactUrl(o.connectionString), queue: keys.name }, 'job queue connecting');
    const boss = new PgBoss({ connectionString: o.connectionString, schema, max: 4, application_name: `queue-${keys.name}` });
    // pg-boss reports background failures (maintenance, supervision) as events; unheard they would crash.
    boss.on('error', (err) => log.warn({ err: { message: err.message, code: (err as { code?: unknown }).code } }, 'job queue background error'));
    await boss.start();
    const queueOptions = {
      retryLimit: 1, // the one retry after a dead worker
      retryDelay: 0,
      retryBackoff: false,
      // pg-boss's own deadline only catches handlers that ignore their signal: ours fires first.
      expireInSeconds: Math.ceil(jobTimeoutMs / 1000) + 60,
      heartbeatSeconds,
    };
    if (await boss.getQueue(keys.name)) await boss.updateQueue(keys.name, queueOptions);
    else await boss.createQueue(keys.name, queueOptions);
    const pool = new pg.Pool({ connectionString: o.connectionString, max: 4, application_name: `queue-${keys.name}` });
    pool.on('error', (err) => log.warn({ err: { message: err.message } }, 'job queue pool error'));
    // One session per instance: it LISTENs, and it holds this worker's advisory locks, so that its
    // end (close, crash, SIGKILL) is exactly what frees them.
    const session = new pg.Client({ connectionString: o.connectionString, application_name: `queue-${keys.name}-session` });
    session.on('error', (err) => log.warn({ err: { message: err.message } }, 'job queue session lost'));
    await session.connect();
    await session.query(`LISTEN ${keys.channel}`);
    return new PgQueue(new QueueRuntime<P, G>({
      boss, pool, session, keys, log, schema,
      payload: o.payload, progress: o.progress,
      perUserWaiting, globalConcurrency, jobTimeoutMs, heartbeatSeconds,
      claimGraceMs: o.claimGraceMs ?? 1_000,
      reapIntervalMs: o.reapIntervalMs ?? 1_000,
      pollMs: o.pollMs ?? 500,
      ...(o.onLost && { onLost: o.onLost }),
    }));
  }

  /** How many jobs one user may have at once (running and waiting). */
  get perUserLimit(): number {
    return 1 + this.#rt.perUserWaiting;
  }

  /**
   * Adds a job for `userId` (under `options.id` when given: submitting one id twice adds one
   * job), or refuses it (`busy`) when the user already has
   * {@link perUserLimit} jobs waiting or running, in any process. Throws `QUEUE_BAD_PAYLOAD`.
   */
  async submit(userId: number, payload: P, options: { readonly id?: string } = {}): Promise<SubmitResult> {
    if (this.#closed) return { accepted: false, reason: 'closed' };
    const data = this.#rt.payload.safeParse(payload);
    if (!data.success) throw new QueueError('QUEUE_BAD_PAYLOAD', `payload refused: ${data.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`);
    if (options.id !== undefined && !UUID.test(options.id)) throw new QueueError('QUEUE_BAD_PAYLOAD', 'a job id must be a uuid');
    const { keys, schema } = this.#rt;
    return this.#rt.transaction(async (tx) => {
      // Two instances admitting the same user's jobs at once would both count 3 and both insert.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${keys.userPrefix}${userId}`]);
      const { rows } = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${schema}.job WHERE name = $1 AND group_id = $2 AND state = ANY($3::${schema}.job_state[])`,
        [keys.name, String(userId), LIVE_STATES],
      );
      if ((rows[0]?.n ?? 0) >= this.perUserLimit) return { accepted: false, reason: 'busy' } as const;
      const jobId = await this.#rt.boss.send(keys.name, data.data, { group: { id: String(userId) }, db: adapter(tx), ...(options.id !== undefined && { id: options.id }) });
      // pg-boss inserts with ON CONFLICT DO NOTHING: a job under this id exists already (the
      // same request submitted twice), which is what the caller asked for.
      if (!jobId && options.id !== undefined) return { accepted: true, jobId: options.id } as const;
      if (!jobId) throw new QueueError('QUEUE_CONFIG', 'pg-boss accepted no job (a queue policy that deduplicates?)');
      await this.#rt.notifyIn(tx, { t: 'wake' });
      return { accepted: true, jobId } as const;
    });
  }

  /**
   * Cancels `userId`'s own job: a waiting one never starts, a running one's signal aborts with
   * `QUEUE_CANCELLED` in whichever process runs it. False when there is no such live job.
   */
  async cancel(jobId: string, userId: number): Promise<boolean> {
    return (await this.cancelJob(jobId, userId)) !== undefined;
  }

  /**
   * {@link cancel}, telling what was cancelled: whether a worker was running it (then that worker
   * ends it and tells its user) and its payload (a waiting job's user is told by the caller).
   */
  async cancelJob(jobId: string, userId: number): Promise<{ readonly wasRunning: boolean; readonly payload: P } | undefined> {
    if (!UUID.test(jobId)) return undefined;
    const { keys, schema, boss } = this.#rt;
    return this.#rt.transaction(async (tx) => {
      const { rows } = await tx.query<{ group_id: string | null; state: string; data: unknown }>(
        `SELECT group_id, state, data FROM ${schema}.job WHERE name = $1 AND id = $2 FOR UPDATE`,
        [keys.name, jobId],
      );
      const row = rows[0];
      if (!row || row.group_id !== String(userId) || !LIVE_STATES.includes(row.state)) return undefined;
      const payload = this.#rt.payload.safeParse(row.data);
      if (!payload.success) return undefined;
      await boss.cancel(keys.name, jobId, { db: adapter(tx) });
      // Sent at commit, so the worker never aborts a job whose cancel rolled back.
      await this.#rt.notifyIn(tx, { t: 'cancel', job: jobId });
      await this.#rt.notifyIn(tx, { t: 'end', job: jobId, outcome: { status: 'cancelled' } });
      return { wasRunning: row.state === 'active', payload: payload.data };
    });
  }

  /** Jobs waiting (created or to retry) and running in this queue, across every instance. */
  async counts(): Promise<{ readonly waiting: number; readonly running: number }> {
    const { rows } = await this.#rt.pool.query<{ waiting: number; running: number }>(
      `SELECT count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS waiting, count(*) FILTER (WHERE state = 'active')::int AS running
         FROM ${this.#rt.schema}.job WHERE name = $1 AND state = ANY($2::${this.#rt.schema}.job_state[])`,
      [this.#rt.keys.name, LIVE_STATES],
    );
    return { waiting: rows[0]?.waiting ?? 0, running: rows[0]?.running ?? 0 };
  }

  /** `userId`'s jobs that wait or run, oldest first (payloads that fail the schema are left out). */
  async liveJobs(userId: number): Promise<{ readonly id: string; readonly payload: P }[]> {
    const { rows } = await this.#rt.pool.query<{ id: string; data: unknown }>(
      `SELECT id, data FROM ${this.#rt.schema}.job WHERE name = $1 AND group_id = $2 AND state = ANY($3::${this.#rt.schema}.job_state[]) ORDER BY created_on`,
      [this.#rt.keys.name, String(userId), LIVE_STATES],
    );
    return rows.flatMap((r) => {
      const payload = this.#rt.payload.safeParse(r.data);
      return payload.success ? [{ id: r.id, payload: payload.data }] : [];
    });
  }

  /** Calls `listener` with each progress value the worker running `jobId` reports. Returns the unsubscribe. */
  onProgress(jobId: string, listener: (value: G) => void): () => void {
    const set = this.#progress.get(jobId) ?? new Set();
    set.add(listener);
    this.#progress.set(jobId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#progress.delete(jobId);
    };
  }

  /**
   * Resolves with the job's end: done, failed (its handler's error code, `QUEUE_TIMEOUT`, or
   * `QUEUE_WORKER_LOST` after two dead workers) or cancelled. Rejects with `QUEUE_CLOSED` when
   * this instance closes first, `QUEUE_UNKNOWN_JOB` when there is no such job.
   */
  outcome(jobId: string): Promise<JobOutcome> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new QueueError('QUEUE_CLOSED', 'the queue is closed'));
      let timer: NodeJS.Timeout | undefined;
      const set = this.#ends.get(jobId) ?? new Set();
      const finish = (o: JobOutcome | Error) => {
        clearTimeout(timer);
        set.delete(finish);
        if (set.size === 0) this.#ends.delete(jobId);
        if (o instanceof Error) reject(o);
        else resolve(o);
      };
      set.add(finish);
      this.#ends.set(jobId, set);
      // NOTIFY is the fast path; the row is read now (the job may have ended already) and then
      // every pollMs, since a notification is lost to anyone not listening when it was sent.
      const look = async () => {
        if (!set.has(finish)) return;
        let o: JobOutcome | 'pending' | undefined | 'unreadable';
        try {
          o = await this.status(jobId);
        } catch {
          o = 'unreadable'; // the database is away for a moment: look again later
        }
        if (o === undefined) finish(new QueueError('QUEUE_UNKNOWN_JOB', `no job ${jobId} in queue ${this.#rt.keys.name}`));
        else if (o !== 'pending' && o !== 'unreadable') finish(o);
        else if (set.has(finish)) timer = setTimeout(() => void look(), this.#rt.pollMs);
      };
      void look();
    });
  }

  /** The job's outcome from its row, `pending` while it waits or runs, undefined when there is no such job. */
  async status(jobId: string): Promise<JobOutcome | 'pending' | undefined> {
    if (!UUID.test(jobId)) return undefined;
    const { rows } = await this.#rt.pool.query<{ state: string; output: unknown }>(
      `SELECT state, output FROM ${this.#rt.schema}.job WHERE name = $1 AND id = $2`,
      [this.#rt.keys.name, jobId],
    );
    const row = rows[0];
    return row ? (outcomeOfRow(row.state, row.output) ?? 'pending') : undefined;
  }

  /**
   * Makes this instance a worker: `concurrency` jobs at a time here (default 2), within the
   * global cap. Resolves once started; {@link close} stops it.
   */
  work(handler: JobHandler<P, G>, options: WorkOptions = {}): void {
    if (this.#closed) throw new QueueError('QUEUE_CLOSED', 'the queue is closed');
    if (this.#worker) throw new QueueError('QUEUE_CONFIG', 'work() was already called on this instance');
    this.#worker = new QueueWorker(this.#rt, handler, options);
  }

  /**
   * Stops taking jobs; running ones get `graceMs` (default 10 s) to finish, then their signals
   * abort with `QUEUE_SHUTDOWN` and they go back to the queue for another worker. Then the
   * connections close (which frees every lock this instance held).
   */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#reaper);
    await this.#worker?.stop(options.graceMs ?? 10_000);
    for (const set of this.#ends.values()) for (const finish of [...set]) finish(new QueueError('QUEUE_CLOSED', 'the queue is closed'));
    this.#progress.clear();
    await this.#rt.session.end().catch(() => undefined);
    await this.#rt.pool.end().catch(() => undefined);
    await this.#rt.boss.stop({ graceful: false, close: true }).catch(() => undefined);
  }

  #onMessage(m: QueueMessage | undefined): void {
    if (!m) return;
    if (m.t === 'wake') this.#worker?.wake();
    else if (m.t === 'cancel') this.#worker?.cancelLocal(m.job);
    else if (m.t === 'progress') {
      const listeners = this.#progress.get(m.job);
      if (!listeners) return;
      const value = this.#rt.progress.safeParse(m.data);
      if (!value.success) return this.#rt.log.warn({ job: m.job }, 'job queue: progress refused by its schema');
      for (const l of [...listeners]) l(value.data);
    } else {
      this.#worker?.wake(); // a slot or a user may have been freed
      for (const finish of [...(this.#ends.get(m.job) ?? [])]) finish(m.outcome);
    }
  }

  /** One reaping round at a time in this instance (see reaper.ts). */
  async #reap(): Promise<void> {
    if (this.#reaping || this.#closed) return;
    this.#reaping = true;
    try {
      await reapLostJobs(this.#rt);
    } catch (err) {
      if (!this.#closed) this.#rt.log.warn({ err: { message: (err as Error).message } }, 'job queue: reaping failed');
    } finally {
      this.#reaping = false;
    }
  }
}
