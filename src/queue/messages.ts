/**
 * What instances tell each other over PostgreSQL `NOTIFY` (one channel per queue): progress
 * from the worker running a job, a cancel for whichever worker runs it, and a job's end. Every
 * message is JSON checked with zod on arrival; one that does not parse is ignored (a newer or
 * older instance on the same channel must not crash this one).
 *
 * Notifications are delivered in commit order and only to sessions listening at that moment,
 * so they are a fast path: the job's row stays the truth (see `outcomeOfRow`).
 */
import { z } from 'zod';

/** A job's end as the submitter sees it. */
export type JobOutcome =
  | { readonly status: 'done' }
  | { readonly status: 'failed'; readonly code: string; readonly message: string }
  | { readonly status: 'cancelled' };

export const outcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('done') }),
  z.object({ status: z.literal('failed'), code: z.string().max(64), message: z.string().max(500) }),
  z.object({ status: z.literal('cancelled') }),
]);

export const messageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('progress'), job: z.string(), data: z.unknown() }),
  z.object({ t: z.literal('cancel'), job: z.string() }),
  /** A job was submitted or a slot freed: idle workers look now instead of at their next poll. */
  z.object({ t: z.literal('wake') }),
  z.object({ t: z.literal('end'), job: z.string(), outcome: outcomeSchema }),
]);
export type QueueMessage = z.infer<typeof messageSchema>;

/** Parses one notification's payload; undefined when it is not ours. */
export function parseMessage(payload: string | undefined): QueueMessage | undefined {
  if (!payload) return undefined;
  try {
    const parsed = messageSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A job row's state and output as an outcome; undefined while it still waits or runs.
 * `completed` carries the worker's own verdict in `output`; `failed` is what is left when
 * retries ran out because workers died (the reaper's or pg-boss's supervisor's fail).
 */
export function outcomeOfRow(state: string, output: unknown): JobOutcome | undefined {
  if (state === 'cancelled') return { status: 'cancelled' };
  if (state === 'completed') {
    const parsed = outcomeSchema.safeParse(output);
    return parsed.success ? parsed.data : { status: 'done' };
  }
  // Only dead or shut-down workers fail a job (a handler's own error completes it with its
  // verdict), so a failed row always means the retry was spent on a lost worker.
  if (state === 'failed') return { status: 'failed', code: 'QUEUE_WORKER_LOST', message: 'the worker running the job stopped before it finished, twice' };
  return undefined;
}
