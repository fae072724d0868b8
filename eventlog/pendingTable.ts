/**
 * The table a projection's `evolve` writes to while a batch is being built. Writes stay in
 * memory until the batch commits; reads see them first, then fall back to the committed
 * rows through a lookup function (a cache, then the disk).
 *
 * Rows are immutable: `put` deep-freezes the value and `get` returns frozen objects, so a
 * row is serialised once per batch instead of once per event, and a projection that
 * mutates a row instead of putting a new one fails loudly (in appends and rebuilds alike)
 * rather than drifting from its rebuild.
 *
 * Appends are staged: the writes of one append are kept apart until every projection has
 * accepted all its events, so a throwing `evolve` drops that append's writes only.
 *
 * @module
 */
import type { BatchOp, Keyspace, ProjectionTable } from './types.ts';

/** The committed (frozen) row for a key, or undefined when there is none. */
export type RowLookup = (key: string) => unknown;

/** Pending writes of one projection: a frozen row, or `null` for a delete. */
export type PendingWrites = Map<string, unknown>;

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError('projection table keys are non-empty strings');
}

function refuse(value: unknown): void {
  const type = typeof value;
  if (type === 'bigint' || type === 'function' || type === 'symbol') {
    throw new TypeError(`projection rows are JSON; a ${type} cannot be stored`);
  }
}

// Called once per `put`: a plain loop over own keys, no intermediate arrays.
function freezeObject(o: Record<string, unknown>): void {
  if (Object.isFrozen(o)) return;
  Object.freeze(o);
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const v: unknown = o[i];
      if (typeof v === 'object' && v !== null) freezeObject(v as Record<string, unknown>);
      else refuse(v);
    }
    return;
  }
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    const v = o[k];
    if (typeof v === 'object' && v !== null) freezeObject(v as Record<string, unknown>);
    else refuse(v);
  }
}

/**
 * Freezes a JSON value and everything inside it; refuses what JSON cannot hold.
 * Already frozen parts are skipped (rows are often built from frozen rows).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) freezeObject(value as Record<string, unknown>);
  else refuse(value);
  return value;
}

/** Parses a stored row into a frozen value. */
export function decodeRow(raw: string): unknown {
  return deepFreeze(JSON.parse(raw));
}

/** A {@link ProjectionTable} over pending writes and a committed-row lookup. */
export class PendingTable implements ProjectionTable<unknown> {
  #writes: PendingWrites = new Map();
  #staged: PendingWrites | null = null;

  constructor(private readonly lookup: RowLookup) {}

  get(key: string): unknown {
    checkKey(key);
    let row = this.#staged?.get(key);
    if (row === undefined) row = this.#writes.get(key);
    if (row === undefined) return this.lookup(key) ?? undefined;
    return row === null ? undefined : row;
  }

  put(key: string, value: unknown): void {
    checkKey(key);
    if (value === undefined || value === null) throw new TypeError(`projection row ${key} must be a JSON value (use del to remove it)`);
    (this.#staged ?? this.#writes).set(key, deepFreeze(value));
  }

  del(key: string): void {
    checkKey(key);
    (this.#staged ?? this.#writes).set(key, null);
  }

  /** Starts collecting the writes of one append apart from the rest. */
  stage(): void {
    this.#staged = new Map();
  }

  /** Keeps the staged writes (the append was accepted). */
  commitStage(): void {
    if (this.#staged) for (const [k, v] of this.#staged) this.#writes.set(k, v);
    this.#staged = null;
  }

  /** Forgets the staged writes (the append was rejected). */
  dropStage(): void {
    this.#staged = null;
  }

  /** The accepted writes so far. */
  get writes(): ReadonlyMap<string, unknown> {
    return this.#writes;
  }

  /** Hands the accepted writes over and starts empty again. */
  take(): PendingWrites {
    const w = this.#writes;
    this.#writes = new Map();
    this.#staged = null;
    return w;
  }
}

/** Batch operations that apply `writes` to `table` (rows serialised here, once). */
export function writeOps(table: Keyspace, writes: ReadonlyMap<string, unknown>, into: BatchOp[]): void {
  for (const [key, row] of writes) {
    into.push(row === null ? { type: 'del', sublevel: table, key } : { type: 'put', sublevel: table, key, value: JSON.stringify(row) });
  }
}
