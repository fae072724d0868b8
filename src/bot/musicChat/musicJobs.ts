/**
 * The download queue as the bot's music features see it: submit a {@link MusicJob} under an id
 * the caller chose (its Cancel button is sent before the job is queued), cancel it, learn how it
 * ended. Two implementations keep the same limits (one running and a few waiting per user, a
 * global cap, a deadline):
 *
 * - {@link LocalMusicJobs}: the embedded default, `src/music/queue/downloadQueue.ts` in this
 *   process, running jobs with this process's {@link MusicJobRunner};
 * - `PgMusicJobs` (`pgMusicJobs.ts`): PostgreSQL's queue, shared by every instance; jobs run in
 *   whichever process is a worker.
 */
import { createHash } from 'node:crypto';
import type { Api } from 'grammy';
import type { DownloadQueue } from '../../music/queue/downloadQueue.ts';
import { MusicError } from '../../music/errors.ts';
import type { MusicJobRunner } from './jobRunner.ts';
import type { MusicJob } from './musicJob.ts';

/** How a job ended: sent (or shown), failed with a stable code, or cancelled. */
export type JobEnd = { readonly status: 'done' } | { readonly status: 'failed'; readonly code: string } | { readonly status: 'cancelled' };

/** The answer to {@link MusicJobs.submit}. */
export type JobAdmission = { readonly accepted: true } | { readonly accepted: false; readonly reason: 'busy' | 'closed' };

/** See the module comment. */
export interface MusicJobs {
  /** How many jobs one user may have at once (running and waiting). */
  readonly perUserLimit: number;
  /** False when `userId` has no room for another job now (a hint before sending anything; submit decides). */
  hasRoom(userId: number): Promise<boolean>;
  /** True when a job `jobId` was queued (waiting, running or ended): a redelivered update's. */
  has(jobId: string): Promise<boolean>;
  /**
   * Queues `job` as `jobId` (a uuid), or refuses it. `api` is the submitting update's Bot API:
   * the embedded queue runs the job with it, a PostgreSQL worker with its own.
   */
  submit(jobId: string, job: MusicJob, api: Api): Promise<JobAdmission>;
  /** Cancels `userId`'s own job; the user is told in the job's message. False when there is no such live job. */
  cancel(jobId: string, userId: number): Promise<boolean>;
  /** Cancels `userId`'s live `batch` jobs ("Send all"'s Stop, pressed on any instance). False when there were none. */
  cancelBatch(userId: number): Promise<boolean>;
  /** Resolves when the job has ended. */
  ended(jobId: string): Promise<JobEnd>;
}

/**
 * The job id of the request `key` names (`m:<chat>:<message>:<n>` for the n-th link of a
 * message, `c:<callback query id>` for a button press, `i:<inline message id>`): the same update
 * delivered again – Telegram redelivers what a killed instance had not acknowledged – gives the
 * same id, so its download is not queued (nor its ⏳ message sent) twice. A uuid (version 5
 * layout over SHA-256), as the queue wants.
 */
export function jobIdFor(key: string): string {
  const h = createHash('sha256').update(`musicbot:job:${key}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The end of a job whose work threw `err` (or was dropped for it). */
export function endOf(err: unknown): JobEnd {
  if (err instanceof MusicError && err.code === 'MUSIC_CANCELLED') return { status: 'cancelled' };
  const code = (err as { code?: unknown } | null)?.code;
  return { status: 'failed', code: typeof code === 'string' ? code : 'MUSIC_DOWNLOAD_FAILED' };
}

interface Live {
  readonly job: MusicJob;
  readonly ended: Promise<JobEnd>;
}

/** The embedded queue (see the module comment). */
export class LocalMusicJobs implements MusicJobs {
  readonly #live = new Map<string, Live>();

  constructor(
    private readonly queue: DownloadQueue,
    private readonly runner: MusicJobRunner,
  ) {}

  get perUserLimit(): number {
    return this.queue.perUserLimit;
  }

  async hasRoom(userId: number): Promise<boolean> {
    return this.queue.jobsOf(userId) < this.queue.perUserLimit;
  }

  async has(jobId: string): Promise<boolean> {
    return this.#live.has(jobId);
  }

  async submit(jobId: string, job: MusicJob, api: Api): Promise<JobAdmission> {
    let end!: (e: JobEnd) => void;
    const ended = new Promise<JobEnd>((resolve) => (end = resolve));
    const submitted = this.queue.submit(
      job.userId,
      {
        run: async (signal) => {
          try {
            await this.runner.run(job, jobId, signal, { api });
            end({ status: 'done' });
          } catch (err) {
            end(endOf(err));
          }
        },
        onDropped: (reason) => {
          end(endOf(reason));
          void this.runner.dropped(job, reason, api);
        },
      },
      { id: jobId },
    );
    if (!submitted.accepted) return submitted;
    this.#live.set(jobId, { job, ended });
    void submitted.job.done.then(() => this.#live.delete(jobId));
    return { accepted: true };
  }

  async cancel(jobId: string, userId: number): Promise<boolean> {
    return this.queue.cancel(jobId, userId);
  }

  async cancelBatch(userId: number): Promise<boolean> {
    let any = false;
    for (const [id, live] of this.#live) {
      if (live.job.userId === userId && live.job.target.kind === 'batch') any = this.queue.cancel(id, userId) || any;
    }
    return any;
  }

  ended(jobId: string): Promise<JobEnd> {
    return this.#live.get(jobId)?.ended ?? Promise.resolve({ status: 'failed', code: 'MUSIC_UNKNOWN_JOB' });
  }
}
