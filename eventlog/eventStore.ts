/**
 * `openEventStore`: the append-only event log with inline projections on an
 * abstract-level database (classic-level on disk, memory-level in unit tests).
 *
 * Invariants: one writer at a time (group commit), every write is one atomic
 * `db.batch(..., { sync: true })` holding the events, their index entries, the projection
 * rows and checkpoints and the caller's extra ops; positions are contiguous; nothing stored
 * is ever skipped on read.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { Appender, type PendingAppend } from './appender.ts';
import { subscribeFrom } from './catchUp.ts';
import { EventDecodeError, StoreClosedError } from './errors.ts';
import { GroupCommitQueue } from './groupCommit.ts';
import { keyspaces, openKeyspaces, parsePositionKey, positionKey, STREAM_NAME, streamRange } from './keys.ts';
import { openLevelDb } from './openLevelDb.ts';
import { ProjectionSet } from './projections.ts';
import { readAhead, type ReplayContext } from './replay.ts';
import type { AnyEvent, AppendResult, BatchOp, Envelope, EventLogLogger, EventStore, OpenEventStoreOptions, RootDb } from './types.ts';

const silent: EventLogLogger = { info() {}, warn() {}, error() {} };

async function lastPosition(ctx: ReplayContext): Promise<number> {
  const keys = await ctx.ks.log.keys({ reverse: true, limit: 1 }).all();
  if (keys.length === 0) return -1;
  const position = parsePositionKey(keys[0]!);
  if (position < 0) throw new EventDecodeError(keys[0]!, -1, 'the last log key is not a position');
  return position;
}

/** Refuses malformed extra ops up front, so that one caller's mistake cannot sink a whole group. */
function checkExtraOps(db: RootDb, ops: readonly BatchOp[]): void {
  for (const op of ops) {
    const ok =
      (op.type === 'put' ? typeof op.value === 'string' : op.type === 'del') &&
      typeof op.key === 'string' &&
      op.key.length > 0 &&
      op.sublevel?.db === db;
    if (!ok) throw new TypeError('extraOps must be put/del operations with a string key (and value) on a sublevel of store.db');
  }
}

function checkStream(stream: string): void {
  if (typeof stream !== 'string' || !STREAM_NAME.test(stream)) {
    throw new TypeError(`stream name must match ${STREAM_NAME} (got ${JSON.stringify(String(stream).slice(0, 40))})`);
  }
}

/**
 * Opens the event store, bringing every projection up to the head of the log first.
 *
 * @throws {DataDirLockedError} when `location` is held by another process.
 * @example
 * const store = await openEventStore({ location: 'data/eventlog', registry, projections: [linkState] });
 * await store.appendToStream('link-42', [LoginStarted.of({ ... })], { expectedVersion: NO_STREAM });
 */
export async function openEventStore<E extends AnyEvent>(options: OpenEventStoreOptions<E>): Promise<EventStore<E>> {
  if ((options.location === undefined) === (options.db === undefined)) {
    throw new TypeError('openEventStore needs exactly one of `location` and `db`');
  }
  const ownsDb = options.location !== undefined;
  const db: RootDb = options.location !== undefined ? await openLevelDb(options.location) : options.db!;
  try {
    if (db.status !== 'open') await db.open();
    const logger = options.logger ?? silent;
    const ctx: ReplayContext = { db, ks: keyspaces(db), registry: options.registry };
    const projections = new ProjectionSet(ctx, options.projections ?? [], options.rowCacheSize ?? 10_000, logger);
    await openKeyspaces(ctx.ks, projections.projections.map((p) => p.name));
    const head = await lastPosition(ctx);
    await projections.catchUp(head);
    const appender = new Appender<E>(ctx, projections, options.now ?? (() => new Date()), logger, head);
    const queue = new GroupCommitQueue(appender.commitGroup, options.maxGroupSize ?? 2000);
    return createStore(ctx, projections, appender, queue, ownsDb, logger);
  } catch (err) {
    if (ownsDb) await db.close().catch(() => {});
    throw err;
  }
}

function createStore<E extends AnyEvent>(
  ctx: ReplayContext,
  projections: ProjectionSet,
  appender: Appender<E>,
  queue: GroupCommitQueue<PendingAppend<E>>,
  ownsDb: boolean,
  logger: EventLogLogger,
): EventStore<E> {
  let closed = false;
  const decode = (raw: string, key: string): Envelope<E> => ctx.registry.decode(raw, key, parsePositionKey(key)) as Envelope<E>;
  const guard = (): void => {
    if (closed) throw new StoreClosedError();
  };

  const store: EventStore<E> = {
    db: ctx.db,
    registry: ctx.registry,

    appendToStream(stream, events, options) {
      return new Promise<AppendResult<E>>((resolve, reject) => {
        guard();
        checkStream(stream);
        const expected = options.expectedVersion;
        if (expected !== 'any' && !(Number.isSafeInteger(expected) && expected >= -1)) {
          throw new TypeError('expectedVersion must be an integer >= -1 or "any"');
        }
        // Validated before queueing: a bad event never holds up other users' batch.
        const validated = events.map((e) => ctx.registry.validate(e));
        checkExtraOps(ctx.db, options.extraOps ?? []);
        queue.push({
          stream,
          events: validated,
          expectedVersion: expected,
          correlationId: options.correlationId ?? randomUUID(),
          extraOps: options.extraOps ?? [],
          resolve,
          reject,
        });
      });
    },

    async readStream(stream, options = {}) {
      guard();
      checkStream(stream);
      const pointers = await ctx.ks.streams.values(streamRange(stream, options.from ?? 0, options.to)).all();
      if (pointers.length === 0) return [];
      const raws = await ctx.ks.log.getMany(pointers);
      return raws.map((raw, i) => {
        const key = pointers[i]!;
        if (raw === undefined) throw new EventDecodeError(key, parsePositionKey(key), `stream ${stream} points to a missing record`);
        return decode(raw, key);
      });
    },

    async *readAll(fromGlobalPosition = 0) {
      guard();
      const iterator = ctx.ks.log.iterator({ gte: positionKey(Math.max(0, fromGlobalPosition)), ...readAhead(1000) });
      try {
        for (;;) {
          const entries = await iterator.nextv(1000);
          if (entries.length === 0) return;
          for (const [key, raw] of entries) yield decode(raw, key);
        }
      } finally {
        await iterator.close();
      }
    },

    async streamVersion(stream) {
      guard();
      checkStream(stream);
      return appender.versionOf(stream);
    },

    headPosition: () => appender.head,
    subscribe(listener, options) {
      if (options?.from === undefined) return appender.subscribe(listener);
      guard();
      return subscribeFrom(options.from, listener, (from) => store.readAll(from), (l) => appender.subscribe(l), logger);
    },
    table: (name) => projections.table(name),

    rebuild(names) {
      guard();
      return queue.exclusive(() => projections.rebuild(names, appender.head));
    },

    verify(names) {
      guard();
      return queue.exclusive(() => projections.verify(names, appender.head));
    },

    runExclusive(fn) {
      guard();
      return queue.exclusive(fn);
    },

    async close() {
      if (closed) return;
      closed = true;
      await queue.drained();
      if (ownsDb) await ctx.db.close();
    },
  };
  return store;
}
