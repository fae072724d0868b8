/**
 * The store's inline projections: their live tables during appends (with a bounded row
 * cache so warm appends read nothing from disk), the catch-up at open, `rebuild()` and
 * `verify()`. All table writes pass through the store's single writer, which is what keeps
 * the row caches true.
 *
 * @module
 */
import { checkpointOp, readCheckpoint } from './checkpoint.ts';
import { compareTables } from './compareTables.ts';
import { PROJECTION_NAME } from './keys.ts';
import { Lru } from './lru.ts';
import { decodeRow, PendingTable, writeOps } from './pendingTable.ts';
import { replay, type ReplayContext, type ReplayOptions, type ReplayTarget } from './replay.ts';
import type { BatchOp, EventLogLogger, Projection, ReadonlyTable, RebuildReport, TableDifference } from './types.ts';
import { writeBatch } from './writeBatch.ts';

/** Refuses projections a store cannot keep: a bad name, a name twice, a version that is not a positive integer. Both backends use it. */
export function checkProjections(projections: readonly Projection<any, any>[]): void {
  const names = new Set<string>();
  for (const p of projections) {
    if (!PROJECTION_NAME.test(p.name)) throw new TypeError(`projection name ${p.name} must match ${PROJECTION_NAME}`);
    if (names.has(p.name)) throw new TypeError(`projection ${p.name} is given twice`);
    if (!Number.isSafeInteger(p.version) || p.version < 1) throw new TypeError(`projection ${p.name} needs a positive integer version`);
    names.add(p.name);
  }
}

/** The pending tables of one group-commit batch, in projection order. */
export type GroupTables = readonly PendingTable[];

/** Read-only JSON view of a keyspace. */
function readonlyTable<V>(table: ReplayTarget['table']): ReadonlyTable<V> {
  return {
    async get(key) {
      const raw = await table.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as V);
    },
    async *entries(range = {}) {
      const options: { gte?: string; lt?: string; limit?: number } = {};
      if (range.gte !== undefined) options.gte = range.gte;
      if (range.lt !== undefined) options.lt = range.lt;
      if (range.limit !== undefined) options.limit = range.limit;
      for await (const [key, raw] of table.iterator(options)) yield [key, JSON.parse(raw) as V];
    },
  };
}

/** Inline projections of one store. */
export class ProjectionSet {
  /** Committed rows per projection (frozen; `null`: known absent). */
  readonly #caches: Lru<string, unknown>[];

  constructor(
    private readonly ctx: ReplayContext,
    readonly projections: readonly Projection<any, any>[],
    rowCacheSize: number,
    private readonly logger: EventLogLogger,
    private readonly replayOptions: ReplayOptions = {},
  ) {
    checkProjections(projections);
    this.#caches = projections.map(() => new Lru(rowCacheSize));
  }

  /** Fresh pending tables for a batch, reading committed rows through the caches. */
  beginGroup(): GroupTables {
    return this.projections.map((p, i) => {
      const table = this.ctx.ks.table(p.name);
      const cache = this.#caches[i]!;
      return new PendingTable((key) => {
        if (cache.has(key)) return cache.get(key) ?? undefined;
        const raw = table.getSync(key);
        const row = raw === undefined ? null : decodeRow(raw);
        cache.set(key, row);
        return row ?? undefined;
      });
    });
  }

  /** Adds the batch's table writes and every checkpoint (at `position`) to `ops`. */
  groupOps(tables: GroupTables, position: number, ops: BatchOp[]): void {
    this.projections.forEach((p, i) => {
      writeOps(this.ctx.ks.table(p.name), tables[i]!.writes, ops);
      ops.push(checkpointOp(this.ctx.ks.checkpoints, p.name, { version: p.version, position }));
    });
  }

  /** Called once the batch is durable: the caches learn the new rows. */
  afterCommit(tables: GroupTables): void {
    tables.forEach((t, i) => {
      const cache = this.#caches[i]!;
      for (const [k, v] of t.writes) cache.set(k, v);
    });
  }

  #select(names?: readonly string[]): Projection<any, any>[] {
    if (!names) return [...this.projections];
    return names.map((n) => {
      const p = this.projections.find((x) => x.name === n);
      if (!p) throw new TypeError(`unknown projection ${n}`);
      return p;
    });
  }

  /** The read-only table of projection `name`. */
  table<V>(name: string): ReadonlyTable<V> {
    this.#select([name]);
    return readonlyTable<V>(this.ctx.ks.table(name));
  }

  /**
   * Brings every table up to `head` at open: a new projection, a changed version or an
   * interrupted rebuild gets a full rebuild; a table behind the log is caught up.
   */
  async catchUp(head: number): Promise<void> {
    const full: string[] = [];
    for (const p of this.projections) {
      const cp = await readCheckpoint(this.ctx.ks.checkpoints, p.name);
      if (!cp || cp.version !== p.version || cp.position < 0 || cp.position > head) {
        full.push(p.name);
      } else if (cp.position < head) {
        const target: ReplayTarget = { projection: p, table: this.ctx.ks.table(p.name), fresh: false, checkpoint: 'flush' };
        const n = await replay(this.ctx, [target], cp.position + 1, head, this.replayOptions);
        this.logger.info({ projection: p.name, events: n }, 'projection caught up');
      }
    }
    if (full.length > 0) {
      const report = await this.rebuild(full, head);
      this.logger.info({ projections: full, events: report.events, ms: report.ms }, 'projections rebuilt at open');
    }
  }

  /** Clears the tables and replays `0..head` into them. Run it with the writer held. */
  async rebuild(names: readonly string[] | undefined, head: number): Promise<RebuildReport> {
    const started = performance.now();
    const chosen = this.#select(names);
    // Mark "being cleared" first: a crash during clear() then leads to a full rebuild again.
    const marks = chosen.map((p) => checkpointOp(this.ctx.ks.checkpoints, p.name, { version: p.version, position: -1 }));
    await writeBatch(this.ctx.db, marks, true);
    for (const p of chosen) await this.ctx.ks.table(p.name).clear();
    this.projections.forEach((p, i) => chosen.includes(p) && this.#caches[i]!.clear());
    const targets = chosen.map((p): ReplayTarget => ({ projection: p, table: this.ctx.ks.table(p.name), fresh: true, checkpoint: 'end' }));
    const events = await replay(this.ctx, targets, 0, head, this.replayOptions);
    return { projections: chosen.map((p) => p.name), events, ms: performance.now() - started };
  }

  /** Rebuilds into scratch keyspaces and compares them with the live tables. Run it with the writer held. */
  async verify(names: readonly string[] | undefined, head: number): Promise<TableDifference[]> {
    const chosen = this.#select(names);
    const scratch = chosen.map((p) => this.ctx.ks.scratch(p.name));
    // Opened explicitly: the replay reads them with getSync.
    await Promise.all(scratch.map(async (s) => (await s.open(), await s.clear())));
    try {
      const targets = chosen.map((p, i): ReplayTarget => ({ projection: p, table: scratch[i]!, fresh: true, checkpoint: 'none' }));
      // Every record checked with zod: verify is what catches a record rewritten on purpose.
      await replay(this.ctx, targets, 0, head, { ...this.replayOptions, check: 'full' });
      const out: TableDifference[] = [];
      for (const [i, p] of chosen.entries()) {
        out.push(...(await compareTables(p.name, this.ctx.ks.table(p.name), scratch[i]!)));
      }
      return out;
    } finally {
      await Promise.all(scratch.map((s) => s.clear()));
    }
  }
}
