/**
 * The advisory-lock keys and the `NOTIFY` channel of one queue, all derived from its name so
 * that two queues in one database never share a lock or a channel.
 *
 * Session-level advisory locks (`pg_advisory_lock`) are what make the limits hold across
 * processes: PostgreSQL releases them the moment the session holding them ends, so a worker
 * killed with SIGKILL gives its global slot and its job back without anyone cleaning up.
 */
import { QueueError } from './errors.ts';

/** A queue name that is safe as a pg-boss queue name and inside a channel identifier. */
const NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** FNV-1a, folded to 31 bits so it fits PostgreSQL's `int` key half and its `oid` in `pg_locks`. */
function hash31(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}

/** See the module comment. */
export interface QueueKeys {
  /** The pg-boss queue name. */
  readonly name: string;
  /** `LISTEN`/`NOTIFY` channel (already a safe identifier). */
  readonly channel: string;
  /** First key half of the global slots `(slotClass, 0 … cap-1)`. */
  readonly slotClass: number;
  /** First key half of a running job's liveness lock `(jobClass, hashtext(job id) & 0x7fffffff)`. */
  readonly jobClass: number;
  /** Transaction lock around every fetch: pg-boss's per-group count reads a snapshot, so two fetches at once could both start a user's jobs. */
  readonly fetchKey: number;
  /** One-key lock taken by whichever instance reaps dead workers' jobs, so only one does at a time. */
  readonly reaperKey: number;
  /** Prefix of the per-user transaction lock taken while a submit counts the user's jobs. */
  readonly userPrefix: string;
}

/** The keys of queue `name`; throws `QUEUE_CONFIG` for a name that is not `[a-z][a-z0-9_]*`. */
export function queueKeys(name: string): QueueKeys {
  if (!NAME.test(name)) throw new QueueError('QUEUE_CONFIG', `queue name ${JSON.stringify(name)} must match ${NAME}`);
  return {
    name,
    channel: `queue_${name}`,
    slotClass: hash31(`queue-slot:${name}`),
    jobClass: hash31(`queue-job:${name}`),
    reaperKey: hash31(`queue-reaper:${name}`),
    fetchKey: hash31(`queue-fetch:${name}`),
    userPrefix: `queue-user:${name}:`,
  };
}
