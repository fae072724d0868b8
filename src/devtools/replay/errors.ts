/**
 * The replay CLI's errors and exit codes. Every failure an operator can act on is a
 * {@link ReplayError} with a stable `code`, a one-line message and, where there is one, a hint
 * saying what to do. Messages name paths, user ids and positions only – never event data.
 *
 * @module
 */
import { EventLogError } from '../../../eventlog/index.ts';

/** Process exit codes of the CLI: 0 ok, 1 a problem (drift, not found, data dir unusable), 2 usage. */
export const EXIT = Object.freeze({ ok: 0, problem: 1, usage: 2 });

/** Every stable code a {@link ReplayError} may carry. */
export type ReplayErrorCode =
  | 'USAGE'
  | 'NOT_FOUND'
  | 'NO_DATA_DIR'
  | 'DATA_DIR_LOCKED'
  | 'COPY_UNSTABLE'
  | 'LOG_UNREADABLE'
  | 'PROJECTION_FAILED'
  | 'EXPORT_INVALID'
  | 'TARGET_NOT_EMPTY'
  | 'FILE_EXISTS'
  | 'EXPORT_FAILED'
  | 'IMPORT_FAILED';

/**
 * A failure the CLI reports as one line (plus an optional hint) and an exit code.
 *
 * @example
 * throw new ReplayError('NOT_FOUND', 'user 42 has no events', { hint: 'run `replay users` to list users' });
 */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  /** What to do about it, for the operator (may be several lines). */
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(
    readonly code: ReplayErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.exitCode = code === 'USAGE' ? EXIT.usage : EXIT.problem;
  }
}

/** A usage error (exit 2): wrong arguments or options. */
export function usageError(message: string, hint?: string): ReplayError {
  return new ReplayError('USAGE', message, hint === undefined ? {} : { hint });
}

/**
 * A file system or database error under an export or import (no room, no permission, a lost
 * connection: anything with a string `code`, as Node's and pg's errors have) as one line;
 * replay and event-log errors pass unchanged, and so does anything else (a bug keeps its stack).
 */
export function asOneLine(err: unknown, code: 'EXPORT_FAILED' | 'IMPORT_FAILED', what: string): unknown {
  if (err instanceof ReplayError || err instanceof EventLogError || !(err instanceof Error)) return err;
  if (typeof (err as { code?: unknown }).code !== 'string') return err;
  return new ReplayError(code, `${what}: ${err.message.split('\n')[0]}`, { cause: err });
}
