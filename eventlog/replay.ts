/**
 * Replays a range of the log into projection tables in large chunks: the engine behind
 * `rebuild()`, `verify()` and the catch-up at open.
 *
 * Speed without unbounded memory: the next chunk is read while the current one is folded,
 * rows are written once per flush (every `flushEvents` events) while folding goes on (one
 * write in flight at a time), recently used rows are kept in a bounded LRU, and on a table that started empty a
 * Bloom filter of written keys answers "absent" without touching the disk. Each flush's
 * rows are written in one batch with the projection's checkpoint, so an interrupted replay
 * resumes from that checkpoint.
 *
 * @module
 */
import { BloomFilter } from './bloom.ts';
import { checkpointOp } from './checkpoint.ts';
import { EventDecodeError, ProjectionError } from './errors.ts';
import { parsePositionKey, positionKey, type Keyspaces } from './keys.ts';
import { Lru } from './lru.ts';
import { decodeRow, PendingTable, writeOps, type PendingWrites } from './pendingTable.ts';
import type { EventRegistry } from './registry.ts';
import type { BatchOp, Keyspace, Projection, RootDb } from './types.ts';
import { writeBatch } from './writeBatch.ts';

/** Where one projection's replay goes. */
export interface ReplayTarget {
  projection: Projection<any, any>;
  table: Keyspace;
  /** The table was empty when the replay started (enables the Bloom filter). */
  fresh: boolean;
  /** Write the projection's checkpoint with every chunk (false for scratch tables). */
  checkpoint: boolean;
}

/** What a replay needs from the store. */
export interface ReplayContext {
  db: RootDb;
  ks: Keyspaces;
  registry: EventRegistry<any>;
}

/** Tuning knobs; the defaults keep a million-event replay well under 100 MB. */
export interface ReplayOptions {
  /** Events read per `nextv` call (default 2000). */
  readSize?: number;
  /** Events folded between two writes (default 20000): rows touched often are written once per flush. */
  flushEvents?: number;
  /** Pending rows (all tables) that force a write before `flushEvents` is reached (default 20000). */
  flushRows?: number;
  /** Rows per table kept in the LRU (default 50000). */
  rowCacheSize?: number;
}

/**
 * classic-level stops a `nextv` once 16 KiB are read by default (about 50 events); allow a
 * whole chunk instead. Memory stays bounded by `readSize` times the record size.
 */
export function readAhead(readSize: number): { keys: true; values: true; highWaterMarkBytes: number } {
  return { keys: true, values: true, highWaterMarkBytes: readSize * 2048 };
}

interface TargetState {
  target: ReplayTarget;
  rows: Lru<string, unknown>;
  written: BloomFilter | null;
  inflight: PendingWrites | null;
  pending: PendingTable;
}

function stateFor(target: ReplayTarget, rowCacheSize: number): TargetState {
  const state: TargetState = {
    target,
    rows: new Lru(rowCacheSize),
    written: target.fresh ? new BloomFilter() : null,
    inflight: null,
    pending: undefined as unknown as PendingTable,
  };
  state.pending = new PendingTable((key) => {
    const flying = state.inflight?.get(key);
    if (flying !== undefined) return flying ?? undefined;
    if (state.rows.has(key)) return state.rows.get(key) ?? undefined;
    if (state.written && !state.written.mightHave(key)) return undefined;
    const raw = target.table.getSync(key);
    const row = raw === undefined ? null : decodeRow(raw);
    state.rows.set(key, row);
    return row ?? undefined;
  });
  return state;
}

/**
 * Folds events `from..to` (inclusive global positions) into every target and returns how
 * many events were read. A gap in positions or an undecodable record stops the replay
 * with an {@link EventDecodeError}; a throwing `evolve` with a {@link ProjectionError}.
 */
export async function replay(
  ctx: ReplayContext,
  targets: readonly ReplayTarget[],
  from: number,
  to: number,
  options: ReplayOptions = {},
): Promise<number> {
  const readSize = options.readSize ?? 2000;
  const flushEvents = options.flushEvents ?? 20_000;
  const flushRows = options.flushRows ?? 20_000;
  const states = targets.map((t) => stateFor(t, options.rowCacheSize ?? 50_000));
  if (states.length === 0 || to < from) return 0;
  const iterator = ctx.ks.log.iterator({ gte: positionKey(from), lte: positionKey(to), ...readAhead(readSize) });
  let nextChunk = iterator.nextv(readSize);
  let writing: Promise<void> | null = null;
  let last = from - 1;
  let folded = 0;

  // Hands the pending rows (and checkpoints at `last`) to the one write allowed in flight.
  const flush = async (): Promise<void> => {
    const ops: BatchOp[] = [];
    const writes = states.map((s) => {
      const w = s.pending.take();
      writeOps(s.target.table, w, ops);
      const { name, version } = s.target.projection;
      if (s.target.checkpoint) ops.push(checkpointOp(ctx.ks.checkpoints, name, { version, position: last }));
      for (const [k, v] of w) {
        s.rows.set(k, v);
        if (v !== null) s.written?.add(k);
      }
      return w;
    });
    if (writing) await writing;
    states.forEach((s, i) => (s.inflight = writes[i]!));
    writing = writeBatch(ctx.db, ops, false).then(() => {
      for (const s of states) s.inflight = null;
    });
  };

  try {
    for (;;) {
      const entries = await nextChunk;
      if (entries.length === 0) break;
      // Read ahead: LevelDB fetches the next chunk on its thread while this one is folded.
      nextChunk = iterator.nextv(readSize);
      for (const [key, raw] of entries) {
        const position = parsePositionKey(key);
        if (position !== last + 1) throw new EventDecodeError(key, position, `gap in the log after position ${last}`);
        const event = ctx.registry.decode(raw, key, position);
        for (const s of states) {
          try {
            s.target.projection.evolve(event, s.pending);
          } catch (err) {
            throw new ProjectionError(s.target.projection.name, event.type, position, { cause: err });
          }
        }
        last = position;
      }
      folded += entries.length;
      const rows = states.reduce((n, s) => n + s.pending.writes.size, 0);
      if (folded % flushEvents < entries.length || rows >= flushRows) await flush();
    }
    await flush();
    if (writing) await writing;
    writing = null;
    if (last !== to) throw new EventDecodeError(positionKey(last + 1), last + 1, 'record missing from the log');
    // One synced write at the end makes the whole replay durable.
    const final = states
      .filter((s) => s.target.checkpoint)
      .map((s) => checkpointOp(ctx.ks.checkpoints, s.target.projection.name, { version: s.target.projection.version, position: last }));
    if (final.length > 0) await writeBatch(ctx.db, final, true);
    return folded;
  } finally {
    if (writing) await writing.catch(() => {});
    await nextChunk.catch(() => {});
    await iterator.close();
  }
}
