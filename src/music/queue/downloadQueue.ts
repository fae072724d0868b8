/**
 * The download queue: a bounded number of jobs run at once across all users (yt-dlp and
 * ffmpeg are heavy), each user has at most one running job and a few waiting, and anything
 * beyond that is refused at once ("please wait") rather than piled up.
 *
 * Jobs run in arrival order, except that a user's second job waits for their first while
 * other users' jobs overtake it. Every running job has a deadline; cancelling a job aborts
 * its signal (which kills its processes) or, while it waits, drops it.
 */
import { MusicError } from '../errors.ts';

/** Options of {@link DownloadQueue}. */
export interface DownloadQueueOptions {
  /** Jobs running at once (`DOWNLOAD_CONCURRENCY`, default 2). */
  readonly concurrency: number;
  /** Jobs a user may have waiting behind their running one (default 3). */
  readonly perUserWaiting?: number;
  /** A running job's deadline (default 10 min); its signal aborts with `MUSIC_TIMEOUT`. */
  readonly jobTimeoutMs?: number;
}

/** What a submitted job does. */
export interface JobSpec {
  /** The work; must settle when `signal` aborts. Its errors are its own business. */
  run(signal: AbortSignal): Promise<void>;
  /** Called instead of `run` when the job is dropped before it starts (cancel, shutdown). */
  onDropped?(reason: MusicError): void;
}

/** A job in the queue. */
export interface QueuedJob {
  readonly id: string;
  readonly userId: number;
  /** How many jobs will start before this one (0 when running or next). */
  position(): number;
  readonly running: boolean;
  /** Settles when the job has finished or was dropped. Never rejects. */
  readonly done: Promise<void>;
}

/** The answer to {@link DownloadQueue.submit}. */
export type SubmitResult = { readonly accepted: true; readonly job: QueuedJob } | { readonly accepted: false; readonly reason: 'busy' | 'closed' };

interface Entry {
  readonly id: string;
  readonly userId: number;
  readonly spec: JobSpec;
  readonly controller: AbortController;
  running: boolean;
  settle(): void;
  readonly done: Promise<void>;
}

/** See the module comment. */
export class DownloadQueue {
  readonly #o: Required<DownloadQueueOptions>;
  readonly #waiting: Entry[] = [];
  readonly #running = new Map<string, Entry>();
  #next = 0;
  #closed = false;
  #peak = 0;

  constructor(options: DownloadQueueOptions) {
    this.#o = {
      concurrency: Math.max(1, options.concurrency),
      perUserWaiting: Math.max(0, options.perUserWaiting ?? 3),
      jobTimeoutMs: options.jobTimeoutMs ?? 10 * 60_000,
    };
  }

  /** How many jobs one user may have at once (running and waiting). */
  get perUserLimit(): number {
    return 1 + this.#o.perUserWaiting;
  }

  /** Jobs `userId` has running or waiting. */
  jobsOf(userId: number): number {
    return this.#waiting.filter((e) => e.userId === userId).length + [...this.#running.values()].filter((e) => e.userId === userId).length;
  }

  /**
   * Adds a job (under `options.id` when given, else a new one), or refuses it when the user
   * already has a running one and a full line.
   */
  submit(userId: number, spec: JobSpec, options: { readonly id?: string } = {}): SubmitResult {
    if (this.#closed) return { accepted: false, reason: 'closed' };
    if (this.jobsOf(userId) >= this.perUserLimit) return { accepted: false, reason: 'busy' };
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const entry: Entry = { id: options.id ?? (++this.#next).toString(36), userId, spec, controller: new AbortController(), running: false, settle, done };
    this.#waiting.push(entry);
    this.#pump();
    const queue = this;
    return {
      accepted: true,
      job: {
        id: entry.id,
        userId,
        done,
        get running() {
          return entry.running;
        },
        position: () => queue.#position(entry),
      },
    };
  }

  /**
   * Cancels a job (only `userId`'s own, when given). A running job's signal aborts with
   * `MUSIC_CANCELLED`; a waiting one is dropped. False when there is no such job.
   */
  cancel(jobId: string, userId?: number): boolean {
    const running = this.#running.get(jobId);
    if (running && (userId === undefined || running.userId === userId)) {
      running.controller.abort(new MusicError('MUSIC_CANCELLED', 'cancelled by the user'));
      return true;
    }
    const i = this.#waiting.findIndex((e) => e.id === jobId && (userId === undefined || e.userId === userId));
    if (i === -1) return false;
    const [entry] = this.#waiting.splice(i, 1);
    this.#drop(entry!, new MusicError('MUSIC_CANCELLED', 'cancelled by the user'));
    return true;
  }

  /** Running and waiting counts, and the most jobs ever seen running at once. */
  stats(): { running: number; waiting: number; peakRunning: number } {
    return { running: this.#running.size, waiting: this.#waiting.length, peakRunning: this.#peak };
  }

  /** Resolves when nothing runs or waits. */
  async idle(): Promise<void> {
    while (this.#running.size > 0 || this.#waiting.length > 0) {
      await Promise.all([...this.#running.values(), ...this.#waiting].map((e) => e.done));
    }
  }

  /** Refuses new jobs, drops waiting ones, aborts running ones and waits for them. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const entry of this.#waiting.splice(0)) this.#drop(entry, new MusicError('MUSIC_CANCELLED', 'the bot is shutting down'));
    for (const entry of this.#running.values()) entry.controller.abort(new MusicError('MUSIC_CANCELLED', 'the bot is shutting down'));
    await Promise.all([...this.#running.values()].map((e) => e.done));
  }

  #position(entry: Entry): number {
    if (entry.running) return 0;
    const i = this.#waiting.indexOf(entry);
    return i === -1 ? 0 : Math.max(0, i + this.#running.size - this.#o.concurrency + 1);
  }

  #drop(entry: Entry, reason: MusicError): void {
    entry.controller.abort(reason);
    try {
      entry.spec.onDropped?.(reason);
    } finally {
      entry.settle();
    }
  }

  #pump(): void {
    while (this.#running.size < this.#o.concurrency) {
      const busy = new Set([...this.#running.values()].map((e) => e.userId));
      const i = this.#waiting.findIndex((e) => !busy.has(e.userId));
      if (i === -1) return;
      const [entry] = this.#waiting.splice(i, 1);
      this.#start(entry!);
    }
  }

  #start(entry: Entry): void {
    entry.running = true;
    this.#running.set(entry.id, entry);
    this.#peak = Math.max(this.#peak, this.#running.size);
    const deadline = setTimeout(
      () => entry.controller.abort(new MusicError('MUSIC_TIMEOUT', `the job took longer than ${this.#o.jobTimeoutMs} ms`)),
      this.#o.jobTimeoutMs,
    );
    deadline.unref();
    void Promise.resolve()
      .then(() => entry.spec.run(entry.controller.signal))
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(deadline);
        this.#running.delete(entry.id);
        entry.running = false;
        entry.settle();
        this.#pump();
      });
  }
}
