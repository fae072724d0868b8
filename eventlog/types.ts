/**
 * Public types of the event log: the envelope every stored event wears, the store's
 * interface, inline projections and their tables. Code against these; the implementation
 * lives in `eventStore.ts`.
 *
 * @module
 */
import type { AbstractLevel, AbstractSublevel } from 'abstract-level';
import type { EventRegistry } from './registry.ts';

/** The storage formats of classic-level and memory-level (both accept all three). */
export type LevelFormat = string | Buffer | Uint8Array;

/** The root database the store writes to: classic-level on disk, memory-level in tests. */
export type RootDb = AbstractLevel<LevelFormat, string, string>;

/** A keyspace: a sublevel of the root with utf8 keys and values. */
export type Keyspace = AbstractSublevel<any, LevelFormat, string, string>;

/**
 * One extra write committed in the same atomic batch as an append (e.g. the vault's
 * put or delete of a data key). The sublevel must belong to the store's root db.
 */
export type BatchOp =
  | { type: 'put'; sublevel: Keyspace; key: string; value: string }
  | { type: 'del'; sublevel: Keyspace; key: string };

/** What an event looks like before it is stored: a registered type and its data. */
export interface AnyEvent {
  type: string;
  data: unknown;
}

/** Facts the store adds to every event when it is appended. */
export interface EventMeta {
  /** Random UUID, unique per event. */
  eventId: string;
  stream: string;
  /** 0-based position inside the stream; contiguous. */
  streamPosition: number;
  /** 0-based position in the whole log; contiguous and in commit order. */
  globalPosition: number;
  /** ISO 8601 time of the append, from the store's injected clock. */
  time: string;
  /** Shared by every event of one append unless the caller passes its own. */
  correlationId: string;
}

/**
 * A stored event as read back: always upcast to the newest version of its type, so `v`
 * is the current version and `data` matches the current schema.
 */
export type Envelope<E extends AnyEvent = AnyEvent> = E extends AnyEvent
  ? { type: E['type']; v: number; data: E['data']; meta: EventMeta }
  : never;

/** `expectedVersion` of an append that creates a stream. */
export const NO_STREAM = -1;

/**
 * The version an append expects the stream to be at: its last `streamPosition`
 * ({@link NO_STREAM} = -1 when it has no events yet), or `'any'` to skip the check.
 */
export type ExpectedVersion = number | 'any';

/**
 * Options of {@link EventLog.appendToStream}. `Op` is what the backend commits together with
 * the events: LevelDB batch operations ({@link BatchOp}) or, on PostgreSQL, SQL statements.
 */
export interface AppendOptions<Op = BatchOp> {
  expectedVersion: ExpectedVersion;
  /** Stored in every event's meta; a fresh UUID when omitted. */
  correlationId?: string;
  /** Extra writes committed atomically with the events (not when the append is rejected). */
  extraOps?: readonly Op[];
}

/** What a successful append returns. */
export interface AppendResult<E extends AnyEvent = AnyEvent> {
  /** The stream's version now: pass it as `expectedVersion` of the next append. */
  nextExpectedVersion: number;
  /** The global position of the last event written, or of the log head when none was. */
  lastGlobalPosition: number;
  /** The events as stored (with their meta). */
  events: Envelope<E>[];
}

/**
 * The writable view of a projection's own keyspace inside one batch. Reads see writes
 * made earlier in the same batch (by this or earlier events); nothing reaches the disk
 * until the batch commits together with the events. Values are stored as JSON.
 */
export interface ProjectionTable<V> {
  get(key: string): V | undefined;
  put(key: string, value: V): void;
  del(key: string): void;
}

/**
 * An inline projection: a fold of events into a table of its own, written in the same
 * atomic batch as the events. `evolve` must be deterministic – a function of the event
 * (with its meta) and the table only; no clock, randomness or I/O – so that a rebuild gives
 * byte-identical tables. Bump `version` when `evolve` changes: the next open rebuilds it.
 *
 * @example
 * const linkState: Projection<LinkEvent, { state: string }> = {
 *   name: 'link_state', version: 1,
 *   evolve(e, table) { table.put(e.meta.stream, { state: e.type }) },
 * };
 */
export interface Projection<E extends AnyEvent = AnyEvent, V = unknown> {
  /** Keyspace name: `[a-z0-9_]+`, unique per store. */
  name: string;
  /** Positive integer; a change forces a rebuild of this projection at open. */
  version: number;
  evolve(event: Envelope<E>, table: ProjectionTable<V>): void;
}

/** A read-only view of a projection's table from outside (services, CLIs). */
export interface ReadonlyTable<V> {
  get(key: string): Promise<V | undefined>;
  /** Entries in key order, optionally within `[gte, lt)`. */
  entries(range?: { gte?: string; lt?: string; limit?: number }): AsyncIterable<[string, V]>;
}

/** One way a rebuilt table differs from the live one (values are not included: they may be secret). */
export interface TableDifference {
  projection: string;
  key: string;
  /** `missing`: only in the rebuild; `extra`: only live; `different`: bytes differ. */
  kind: 'missing' | 'extra' | 'different';
}

/** Result of {@link EventStore.rebuild}. */
export interface RebuildReport {
  projections: string[];
  events: number;
  ms: number;
}

/** A pino-compatible logger subset; the store logs only positions, names and codes. */
export interface EventLogLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Called after a batch is durable, once per append, in global order. Events a subscription
 * reads back to catch up (`subscribe(listener, { from })`) are handed over the same way.
 */
export type AppendListener<E extends AnyEvent = AnyEvent> = (events: readonly Envelope<E>[]) => void | Promise<void>;

/** What opening an event log takes on either backend. */
export interface EventLogOptions<E extends AnyEvent> {
  registry: EventRegistry<E>;
  projections?: readonly Projection<E, any>[];
  /** The clock for `meta.time`; `() => new Date()` by default. */
  now?: () => Date;
  logger?: EventLogLogger;
  /** Most appends written in one group commit: one batch or one transaction (default 2000). */
  maxGroupSize?: number;
  /** Rows of each table kept in memory for reads during appends (default 10000). */
  rowCacheSize?: number;
}

/** Options of `openEventStore`. Give exactly one of `location` and `db`. */
export interface OpenEventStoreOptions<E extends AnyEvent> extends EventLogOptions<E> {
  /** A directory for classic-level; the store opens it and closes it on `close()`. */
  location?: string;
  /** An already created root db (memory-level in tests); the caller closes it. */
  db?: RootDb;
}

/** Options of {@link EventLog.subscribe}. */
export interface SubscribeOptions {
  /**
   * Global position to start from: every committed event from here on is delivered first
   * (catch-up, read from the log), then live appends, in global order, each event once.
   * Omitted: appends committed after the call. (On PostgreSQL: after the last head this
   * store has seen, which may include appends other processes committed just before the
   * call; pass `from` for an exact start.)
   */
  from?: number;
}

/**
 * What every event log backend offers – the embedded LevelDB store ({@link EventStore}) and
 * the PostgreSQL one (`eventlog/postgres`) – and what the shared contract suite
 * (`test/eventlog/contract/`) checks. `Op` is the backend's kind of extra write.
 */
export interface EventLog<E extends AnyEvent = AnyEvent, Op = BatchOp> {
  readonly registry: EventRegistry<E>;
  /** Appends events atomically (with projections, checkpoints and `extraOps`); see {@link AppendOptions}. */
  appendToStream(stream: string, events: readonly E[], options: AppendOptions<Op>): Promise<AppendResult<E>>;
  /** The stream's events with `from <= streamPosition <= to` (both optional), in order. */
  readStream(stream: string, options?: { from?: number; to?: number }): Promise<Envelope<E>[]>;
  /** Every event from `fromGlobalPosition` (inclusive, default 0) in global order. */
  readAll(fromGlobalPosition?: number): AsyncIterable<Envelope<E>>;
  /** The stream's current version, {@link NO_STREAM} if it has no events. */
  streamVersion(stream: string): Promise<number>;
  /** Registers a listener for appended events (see {@link SubscribeOptions}); returns the unsubscribe function. */
  subscribe(listener: AppendListener<E>, options?: SubscribeOptions): () => void;
  /** The read-only table of a projection given to the store. */
  table<V>(projection: string): ReadonlyTable<V>;
  /** Clears the named (default: all) projection tables and replays the whole log into them. */
  rebuild(projections?: readonly string[]): Promise<RebuildReport>;
  /** Rebuilds into scratch space and compares with the live tables; `[]` means equal. */
  verify(projections?: readonly string[]): Promise<TableDifference[]>;
  /** Waits for queued appends, then closes what the store opened. */
  close(): Promise<void>;
}

/** The append-only event log with inline projections on LevelDB. */
export interface EventStore<E extends AnyEvent = AnyEvent> extends EventLog<E, BatchOp> {
  /** The root db: other keyspaces (the vault) live here so they can share a batch. */
  readonly db: RootDb;
  readonly registry: EventRegistry<E>;
  /** Appends events atomically (with projections, checkpoints and `extraOps`); see {@link AppendOptions}. */
  appendToStream(stream: string, events: readonly E[], options: AppendOptions): Promise<AppendResult<E>>;
  /** The stream's events with `from <= streamPosition <= to` (both optional), in order. */
  readStream(stream: string, options?: { from?: number; to?: number }): Promise<Envelope<E>[]>;
  /** Every event from `fromGlobalPosition` (inclusive, default 0) in global order. */
  readAll(fromGlobalPosition?: number): AsyncIterable<Envelope<E>>;
  /** The stream's current version, {@link NO_STREAM} if it has no events. */
  streamVersion(stream: string): Promise<number>;
  /** Global position of the last event, -1 when the log is empty. */
  headPosition(): number;
  /** Registers a listener for appended events (see {@link SubscribeOptions}); returns the unsubscribe function. */
  subscribe(listener: AppendListener<E>, options?: SubscribeOptions): () => void;
  /** The read-only table of a projection given to the store. */
  table<V>(projection: string): ReadonlyTable<V>;
  /** Clears the named (default: all) projection tables and replays the whole log into them. */
  rebuild(projections?: readonly string[]): Promise<RebuildReport>;
  /** Rebuilds into scratch keyspaces and compares with the live tables; `[]` means equal. */
  verify(projections?: readonly string[]): Promise<TableDifference[]>;
  /** Runs `fn` while no append is being written (appends queue up meanwhile). */
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Waits for queued appends, then closes (and closes the db when the store opened it). */
  close(): Promise<void>;
}
