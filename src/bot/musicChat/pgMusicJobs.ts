/**
 * {@link MusicJobs} on PostgreSQL's queue (`src/queue/`): every web instance submits and
 * cancels, every worker instance runs jobs with its own {@link MusicJobRunner}, so the progress
 * edits and the audio come from the worker running the job. Who tells the user what:
 *
 * - a running job, cancelled or failed: the worker running it (its runner ends the message);
 * - a waiting job, cancelled: the instance that took the Cancel press (the job never reached a worker);
 * - a job whose second worker died (`QUEUE_WORKER_LOST`): the instance whose reaper found it,
 *   so the user hears even when the instance that queued it is gone too;
 * - a worker stopping (`QUEUE_SHUTDOWN`): nobody; the job goes back to the queue and its
 *   message says it waits again.
 *
 * A job's link is stored sealed ({@link LinkSeal}): pg-boss keeps payloads in its tables, and a
 * private link's URL is its secret.
 */
import { z } from 'zod';
import { MusicError } from '../../music/errors.ts';
import { PgQueue, type JobOutcome } from '../../queue/pgQueue.ts';
import { QueueError } from '../../queue/errors.ts';
import type { QueueLogger } from '../../queue/runtime.ts';
import type { MusicJobRunner } from './jobRunner.ts';
import { ChoiceWhatSchema, MusicJobProgressSchema, MusicJobSchema, type MusicJob } from './musicJob.ts';
import type { JobAdmission, JobEnd, MusicJobs } from './musicJobs.ts';
import { StoredLinkSchema, type LinkSeal } from './linkSeal.ts';

/** A {@link MusicJob} as the queue stores it: a link sealed (or plain, queued by an older bot), everything else as is. */
const StoredMusicJobSchema = MusicJobSchema.extend({ what: z.union([z.object({ link: StoredLinkSchema }), ChoiceWhatSchema]) });
type StoredMusicJob = z.infer<typeof StoredMusicJobSchema>;

/** Settings of {@link PgMusicJobs.open}. */
export interface PgMusicJobsOptions {
  /** `DATABASE_URL`. */
  readonly connectionString: string;
  /** pg-boss's schema (default `pgboss`). */
  readonly schema?: string;
  /** Jobs a user may have waiting behind a running one (default 3). */
  readonly perUserWaiting?: number;
  /** Jobs running at once across every worker (`DOWNLOAD_GLOBAL_CONCURRENCY`). */
  readonly globalConcurrency: number;
  /** A job's deadline (default 10 min). */
  readonly jobTimeoutMs?: number;
  readonly runner: MusicJobRunner;
  readonly logger: QueueLogger;
  /** Seals job links (every instance derives the same key from `TOKEN_ENCRYPTION_KEY`). */
  readonly seal: LinkSeal;
}

/** What a queue's abort reason means to the pipeline (whose steps end with their signal's `MusicError`). */
function musicReason(reason: unknown): MusicError {
  if (reason instanceof QueueError && reason.code === 'QUEUE_TIMEOUT') return new MusicError('MUSIC_TIMEOUT', reason.message);
  return new MusicError('MUSIC_CANCELLED', reason instanceof Error ? reason.message : 'the job was stopped');
}

const endOfOutcome = (o: JobOutcome): JobEnd => (o.status === 'failed' ? { status: 'failed', code: o.code } : o);

/** See the module comment. */
export class PgMusicJobs implements MusicJobs {
  private constructor(
    private readonly queue: PgQueue<StoredMusicJob, never>,
    private readonly runner: MusicJobRunner,
    private readonly seal: LinkSeal,
  ) {}

  /** Connects to the queue (installing pg-boss's schema on first use). */
  static async open(o: PgMusicJobsOptions): Promise<PgMusicJobs> {
    const queue = await PgQueue.open<StoredMusicJob, never>({
      connectionString: o.connectionString,
      payload: StoredMusicJobSchema,
      progress: MusicJobProgressSchema,
      name: 'downloads',
      ...(o.schema && { schema: o.schema }),
      ...(o.perUserWaiting !== undefined && { perUserWaiting: o.perUserWaiting }),
      globalConcurrency: o.globalConcurrency,
      ...(o.jobTimeoutMs !== undefined && { jobTimeoutMs: o.jobTimeoutMs }),
      logger: o.logger,
      onLost: (_id, job) => o.runner.dropped(job, new MusicError('MUSIC_WORKER_LOST', 'two workers died holding this job')),
    });
    return new PgMusicJobs(queue, o.runner, o.seal);
  }

  get perUserLimit(): number {
    return this.queue.perUserLimit;
  }

  async hasRoom(userId: number): Promise<boolean> {
    return (await this.queue.liveJobs(userId)).length < this.perUserLimit;
  }

  async has(jobId: string): Promise<boolean> {
    return (await this.queue.status(jobId)) !== undefined;
  }

  async submit(jobId: string, job: MusicJob): Promise<JobAdmission> {
    // The job runs in a worker, with the worker's Bot API: the submitter's is not needed.
    const stored: StoredMusicJob = 'link' in job.what ? { ...job, what: { link: this.seal.seal(job.what.link) } } : { ...job, what: job.what };
    const r = await this.queue.submit(job.userId, stored, { id: jobId });
    return r.accepted ? { accepted: true } : r;
  }

  async cancel(jobId: string, userId: number): Promise<boolean> {
    const cancelled = await this.queue.cancelJob(jobId, userId);
    if (!cancelled) return false;
    // A running job's worker aborts it and ends its message; a waiting one has no worker.
    if (!cancelled.wasRunning) void this.runner.dropped(cancelled.payload, new MusicError('MUSIC_CANCELLED', 'cancelled by the user'));
    return true;
  }

  async cancelBatch(userId: number): Promise<boolean> {
    let any = false;
    for (const { id, payload } of await this.queue.liveJobs(userId)) {
      if (payload.target.kind === 'batch') any = (await this.queue.cancel(id, userId)) || any;
    }
    return any;
  }

  async ended(jobId: string): Promise<JobEnd> {
    return endOfOutcome(await this.queue.outcome(jobId));
  }

  /** Jobs waiting and running across every worker (the shared queue's depth, for metrics). */
  counts(): Promise<{ readonly waiting: number; readonly running: number }> {
    return this.queue.counts();
  }

  /** Makes this instance a download worker running `concurrency` jobs at a time. */
  work(concurrency: number): void {
    this.queue.work(
      async (stored, signal, _progress, jobId) => {
        const job = this.#opened(stored);
        // Sealed under a master key this instance no longer has: the user hears, the job ends.
        if (!job) return this.runner.dropped(stored, new MusicError('MUSIC_UNSUPPORTED_LINK', 'the queued link does not open with the configured keys'));
        const music = new AbortController();
        const abort = () => music.abort(musicReason(signal.reason));
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
        const requeued = () => signal.reason instanceof QueueError && signal.reason.code === 'QUEUE_SHUTDOWN';
        await this.runner.run(job, jobId, music.signal, { requeued });
      },
      { concurrency },
    );
  }

  /** The job with its link opened; undefined when it does not open. */
  #opened(stored: StoredMusicJob): MusicJob | undefined {
    if (!('link' in stored.what)) return { ...stored, what: stored.what };
    const link = this.seal.open(stored.what.link);
    return link && { ...stored, what: { link } };
  }

  /** Stops taking jobs; running ones get `graceMs`, then go back to the queue for another worker. */
  close(graceMs: number): Promise<void> {
    return this.queue.close({ graceMs });
  }
}
