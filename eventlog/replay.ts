/**
 * Replays a range of the log into projection tables in large chunks: the engine behind
 * `rebuild()`, `verify()` and the catch-up at open.
 *
 * Speed without unbounded memory: the next chunk is read while the current one is folded;
 * records are decoded under the registry's trust rule (`verify` checks each with zod);
 * pending rows are written only when `flushRows` of them have piled up (a row touched by
 * many events is written once) or, for a catch-up, every `flushEvents` events, while
 * folding goes on (one write in flight);
 * recently used rows are kept in a bounded LRU, and on a table that started empty a Bloom
 * filter of written keys answers "absent" without touching the disk. Intermediate writes
 * are unsynced; the last one, holding the checkpoints, is synced and makes the replay
 * durable. See {@link CheckpointMode} for what an interruption leaves behind.
 *
 * @module
 */
import { BloomFilter } from './bloom.ts';
import { checkpointOp } from './checkpoint.ts';
import { EventDecodeError, ProjectionError } from './errors.ts';
import { parsePositionKey, positionKey, type Keyspaces } from './keys.ts';
import { Lru } from './lru.ts';
import { decodeRow, PendingTable, writeOps, type PendingWrites } from './pendingTable.ts';
import type { DecodeCheck, EventRegistry } from './registry.ts';
import type { BatchOp, Keyspace, Projection, RootDb } from './types.ts';
import { writeBatch } from './writeBatch.ts';

/**
 * When a replay writes a projection's checkpoint:
 * - `'flush'`: with every write of rows (catching up a live table: rows and checkpoint move
 *   together, so an interrupted catch-up resumes from the last write);
 * - `'end'`: only in the final, synced write (a rebuild: the checkpoint was marked -1 before
 *   the table was cleared and stays so until the whole log is folded, so an interrupted
 *   rebuild starts over at the next open);
 * - `'none'`: never (the scratch tables of `verify()`).
 */
export type CheckpointMode = 'flush' | 'end' | 'none';

/** Where one projection's replay goes. */
export interface ReplayTarget {
  projection: Projection<any, any>;
  table: Keyspace;
  /** The table was empty when the replay started (enables the Bloom filter). */
  fresh: boolean;
  checkpoint: CheckpointMode;
}

/** What a replay needs from the store. */
export interface ReplayContext {
  db: RootDb;
  ks: Keyspaces;
  registry: EventRegistry<any>;
}

/** Tuning knobs; the defaults keep a million-event replay well under 100 MB. */
export interface ReplayOptions {
  /** Events read per `nextv` call (default {@link DEFAULT_READ_SIZE}). */
  readSize?: number;
  /**
   * Events folded between two writes of a target that checkpoints every flush (catch-up;
   * default 20000). Rebuild and verify write only when `flushRows` is reached and at the end.
   */
  flushEvents?: number;
  /** Pending rows (all tables) that force a write (default 20000): this bounds memory. */
  flushRows?: number;
  /** Rows per table kept in the LRU (default 50000). */
  rowCacheSize?: number;
  /** `'full'` checks every record with zod (`verify`); default: the registry's trust rule. */
  check?: DecodeCheck;
}

/** Events read per `nextv` unless {@link ReplayOptions.readSize} says otherwise. */
export const DEFAULT_READ_SIZE = 2000;

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
  const state = {
    target,
    rows: new Lru<string, unknown>(rowCacheSize),
    written: target.fresh ? new BloomFilter() : null,
    inflight: null as PendingWrites | null,
  };
  // The lookup behind the pending rows: the write in flight, the LRU, the filter, the disk.
  const pending = new PendingTable((key) => {
    const flying = state.inflight?.get(key);
    if (flying !== undefined) return flying ?? undefined;
    if (state.rows.has(key)) return state.rows.get(key) ?? undefined;
    if (state.written && !state.written.mightHave(key)) return undefined;
    const raw = target.table.getSync(key);
    const row = raw === undefined ? null : decodeRow(raw);
    state.rows.set(key, row);
    return row ?? undefined;
  });
  return Object.assign(state, { pending });
}

/**
 * Folds events `from..to` (inclusive global positions) into every target and returns how
 * many events were read. A gap in positions or an undecodable record stops the replay
 * with an {@link EventDecodeError}; a throwing `evolve` with a {@link ProjectionError}.
 * The last write (rows and checkpoints) is synced when any target keeps a checkpoint.
 */
export async function replay(
  ctx: ReplayContext,
  targets: readonly ReplayTarget[],
  from: number,
  to: number,
  options: ReplayOptions = {},
): Promise<number> {
  const readSize = options.readSize ?? DEFAULT_READ_SIZE;
  const flushEvents = options.flushEvents ?? 20_000;
  const flushRows = options.flushRows ?? 20_000;
  const check = options.check ?? 'trusted';
  const states = targets.map((t) => stateFor(t, options.rowCacheSize ?? 50_000));
  if (states.length === 0 || to < from) return 0;
  // Rows touched often are written once per write, so write no more often than needed.
  const flushByEvents = targets.some((t) => t.checkpoint === 'flush') ? flushEvents : Infinity;
  const iterator = ctx.ks.log.iterator({ gte: positionKey(from), lte: positionKey(to), ...readAhead(readSize) });
  let nextChunk = iterator.nextv(readSize);
  let writing: Promise<void> | null = null;
  let last = from - 1;
  let sinceFlush = 0;

  // Hands the pending rows (and checkpoints at `last`) to the one write allowed in flight.
  const flush = async (final: boolean): Promise<void> => {
    const ops: BatchOp[] = [];
    const writes = states.map((s) => {
      const w = s.pending.take();
      writeOps(s.target.table, w, ops);
      const { name, version } = s.target.projection;
      const mode = s.target.checkpoint;
      if (mode === 'flush' || (final && mode === 'end')) {
        ops.push(checkpointOp(ctx.ks.checkpoints, name, { version, position: last }));
      }
      for (const [k, v] of w) {
        s.rows.set(k, v);
        if (v !== null) s.written?.add(k);
      }
      return w;
    });
    if (writing) await writing;
    writing = null;
    if (ops.length === 0) return;
    states.forEach((s, i) => (s.inflight = writes[i]!));
    // The final write is synced when it holds checkpoints: it makes the whole replay durable
    // (LevelDB persists writes in order, so the unsynced ones before it are durable too).
    const sync = final && targets.some((t) => t.checkpoint !== 'none');
    writing = writeBatch(ctx.db, ops, sync).then(() => {
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
        const event = ctx.registry.decode(raw, key, position, check);
        for (const s of states) {
          try {
            s.target.projection.evolve(event, s.pending);
          } catch (err) {
            throw new ProjectionError(s.target.projection.name, event.type, position, { cause: err });
          }
        }
        last = position;
      }
      sinceFlush += entries.length;
      let rows = 0;
      for (const s of states) rows += s.pending.writes.size;
      if (rows >= flushRows || sinceFlush >= flushByEvents) {
        await flush(false);
        sinceFlush = 0;
      }
    }
    if (last !== to) throw new EventDecodeError(positionKey(last + 1), last + 1, 'record missing from the log');
    await flush(true);
    if (writing) await writing;
    writing = null;
    return last - from + 1;
  } finally {
    if (writing) await writing.catch(() => {});
    await nextChunk.catch(() => {});
    await iterator.close();
  }
}
