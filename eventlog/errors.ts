/**
 * The named errors of the event log. Each has a stable `code` that callers switch on;
 * messages are for operators and never carry event data, only stream names, positions,
 * keys and type names.
 *
 * @module
 */

/** Every stable code an event-log error may carry. */
export type EventLogErrorCode =
  | 'VERSION_CONFLICT'
  | 'EVENT_DECODE'
  | 'EVENT_INVALID'
  | 'PROJECTION_FAILED'
  | 'DATA_DIR_LOCKED'
  | 'STORE_CLOSED'
  | 'PROJECTIONS_BEHIND';

/**
 * The one rule of every named error here and in the vault: `name` is the class name (an
 * own property, as loggers print it) and `code` a stable string callers switch on.
 */
export abstract class CodedError<C extends string> extends Error {
  abstract readonly code: C;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Common base so callers can test `err instanceof EventLogError` and read `code`. */
export abstract class EventLogError extends CodedError<EventLogErrorCode> {}

/**
 * An append named an `expectedVersion` that is not the stream's current version: someone
 * else appended first. Nothing of the rejected append was written; reload the stream,
 * decide again and retry.
 *
 * @example
 * try { await store.appendToStream(s, events, { expectedVersion: v }) }
 * catch (err) { if (err instanceof VersionConflictError) retryOnce() }
 */
export class VersionConflictError extends EventLogError {
  readonly code = 'VERSION_CONFLICT' as const;
  /** `expected`: the version the caller expected (`-1`: no stream yet); `actual`: the stream's at the write. */
  constructor(readonly stream: string, readonly expected: number, readonly actual: number) {
    super(`stream ${stream} is at version ${actual}, append expected ${expected}`);
  }
}

/**
 * A stored record cannot be turned into an event: bad JSON, an unknown `type@v`, a missing
 * upcaster, or data that fails its schema. Reads never skip such a record; they stop here.
 * The message names the log key and global position (and the schema's field paths, never
 * their values).
 */
export class EventDecodeError extends EventLogError {
  readonly code = 'EVENT_DECODE' as const;
  /**
   * `key`: the record's key inside its keyspace (e.g. `log` key `0000000000000042`);
   * `position`: its global position, or -1 when the key itself is unreadable.
   */
  constructor(readonly key: string, readonly position: number, readonly reason: string) {
    super(`cannot decode event at log key ${key} (global position ${position}): ${reason}`);
  }
}

/**
 * An append carried an event whose type is not registered or whose data fails the
 * current schema of its type. Nothing was written. Names field paths, never values.
 */
export class EventValidationError extends EventLogError {
  readonly code = 'EVENT_INVALID' as const;
  constructor(readonly eventType: string, readonly reason: string) {
    super(`event ${eventType} is invalid: ${reason}`);
  }
}

/**
 * A projection's `evolve` threw. During an append only that append is rejected (nothing of
 * it is written); during a rebuild the rebuild stops at `position`.
 */
export class ProjectionError extends EventLogError {
  readonly code = 'PROJECTION_FAILED' as const;
  constructor(
    readonly projection: string,
    readonly eventType: string,
    readonly position: number,
    options?: { cause?: unknown },
  ) {
    super(`projection ${projection} failed on ${eventType} at global position ${position}`, options);
  }
}

/**
 * The data directory is held by another process (LevelDB's lock). The message is one
 * line meant to be printed as is: "data dir <path> is in use by another process".
 */
export class DataDirLockedError extends EventLogError {
  readonly code = 'DATA_DIR_LOCKED' as const;
  constructor(readonly location: string, options?: { cause?: unknown }) {
    super(`data dir ${location} is in use by another process`, options);
  }
}

/** The store was closed; no more appends or reads are accepted. */
export class StoreClosedError extends EventLogError {
  readonly code = 'STORE_CLOSED' as const;
  constructor() {
    super('the event store is closed');
  }
}

/**
 * PostgreSQL only: a projection's table is not at the head of the shared log – another
 * instance appended without it (or with another version of it). Nothing was written. Every
 * instance must run the same projections; reopening the store rebuilds the stale ones.
 */
export class ProjectionsBehindError extends EventLogError {
  readonly code = 'PROJECTIONS_BEHIND' as const;
  constructor(readonly projections: readonly string[]) {
    super(`projection tables ${projections.join(', ')} are behind the log: another instance appends without them; reopen the store (it rebuilds them) and run the same projections everywhere`);
  }
}
