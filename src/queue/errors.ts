/**
 * The one error class of the job queue. Callers branch on `code`, a stable string, never on
 * `message` (for operators and logs). No message or property holds the database URL's password.
 *
 * @example
 * try { await queue.work(handler); } catch (err) {
 *   if (err instanceof QueueError && err.code === 'QUEUE_CLOSED') return;
 *   throw err;
 * }
 */

/** Every reason the queue gives for stopping, refusing or ending a job. */
export type QueueErrorCode =
  /** The queue was closed: it takes no new jobs and runs no more. */
  | 'QUEUE_CLOSED'
  /** The submitter (the job's own user) cancelled it; the running handler's signal aborts with this. */
  | 'QUEUE_CANCELLED'
  /** A running job passed its deadline (`jobTimeoutMs`); its signal aborts with this. */
  | 'QUEUE_TIMEOUT'
  /** The worker is shutting down and the grace period ran out; the job goes back for another worker. */
  | 'QUEUE_SHUTDOWN'
  /** The worker holding the job died (its database session ended) twice: the job is reported failed. */
  | 'QUEUE_WORKER_LOST'
  /** A payload or progress value does not match its zod schema (on either end). */
  | 'QUEUE_BAD_PAYLOAD'
  /** The handler threw something without a `code` of its own. */
  | 'QUEUE_JOB_FAILED'
  /** `outcome()` of a job id this queue has no row for (never submitted, or deleted by retention). */
  | 'QUEUE_UNKNOWN_JOB'
  /** Options that cannot work (a bad queue name, limits below 1). */
  | 'QUEUE_CONFIG';

/** See the module comment. */
export class QueueError extends Error {
  override readonly name = 'QueueError';
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The stable code of anything a handler threw (its own `code` string when it has one). */
export function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length > 0 && code.length <= 64 ? code : 'QUEUE_JOB_FAILED';
}
