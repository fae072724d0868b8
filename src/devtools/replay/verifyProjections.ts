/**
 * `verify` without writing: the log is folded through the projections into tables held in
 * memory, serialised exactly as the store serialises rows (`JSON.stringify` of the row), and
 * compared byte for byte with the live tables. The store's own `verify()` rebuilds into
 * scratch keyspaces of the data dir – a write – which a read-only tool must not do.
 *
 * Rows are kept as JSON text and parsed (and frozen) on every `get`, as a cold read from
 * disk would be, so a projection that mutates a row fails here as it fails in the store.
 * Memory grows with the number of rows (users), not with the length of the log.
 *
 * @module
 */
import type { Projection, ProjectionTable } from '../../../eventlog/index.ts';
import type { Checkpoint } from '../../../eventlog/checkpoint.ts';
import { decodeRow } from '../../../eventlog/pendingTable.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import type { LogReader } from './dataDir.ts';
import { ReplayError } from './errors.ts';

/** One way a live table differs from the fold of the log (no values: they may hold ciphertexts). */
export interface RowDifference {
  projection: string;
  key: string;
  /** `missing`: only in the fold; `extra`: only live; `different`: the values differ. */
  kind: 'missing' | 'extra' | 'different';
}

/** A checkpoint that is not where a table in step with the log would have it. */
export interface CheckpointDifference {
  projection: string;
  found: Checkpoint | null;
  expected: Checkpoint;
}

/** What {@link verifyProjections} found; both lists empty means no drift. */
export interface VerifyReport {
  head: number;
  events: number;
  projections: string[];
  differences: RowDifference[];
  checkpoints: CheckpointDifference[];
  ms: number;
}

/** A projection table in memory with the store's row semantics (JSON values, frozen reads). */
class MemoryTable implements ProjectionTable<unknown> {
  readonly rows = new Map<string, string>();
  get(key: string): unknown {
    const raw = this.rows.get(key);
    return raw === undefined ? undefined : decodeRow(raw);
  }
  put(key: string, value: unknown): void {
    if (value === undefined || value === null) throw new TypeError(`projection row ${key} must be a JSON value`);
    this.rows.set(key, JSON.stringify(value));
  }
  del(key: string): void {
    this.rows.delete(key);
  }
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The JSON text with every object's keys sorted (PostgreSQL's jsonb keeps no key order); null when it is not JSON. */
function canonical(raw: string): string | null {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  try {
    return JSON.stringify(sorted(JSON.parse(raw)));
  } catch {
    return null;
  }
}

/** Compares a live table (as stored) with its fold; differences in key byte order. */
async function compare(name: string, live: AsyncIterable<[string, string]>, folded: Map<string, string>): Promise<RowDifference[]> {
  const out: RowDifference[] = [];
  const seen = new Set<string>();
  for await (const [key, raw] of live) {
    seen.add(key);
    const expected = folded.get(key);
    if (expected === undefined) out.push({ projection: name, key, kind: 'extra' });
    else if (expected !== raw && canonical(expected) !== canonical(raw)) out.push({ projection: name, key, kind: 'different' });
  }
  for (const key of folded.keys()) if (!seen.has(key)) out.push({ projection: name, key, kind: 'missing' });
  return out.sort((a, b) => byteOrder(a.key, b.key));
}

/**
 * Folds the whole log through `projections` in memory and compares with the live tables
 * and checkpoints of `reader`. Writes nothing.
 * @throws {ReplayError} `PROJECTION_FAILED` when a projection throws on a stored event.
 */
export async function verifyProjections(reader: LogReader, projections: readonly Projection<LinkEvent, any>[]): Promise<VerifyReport> {
  const started = performance.now();
  const head = await reader.store.headPosition();
  const tables = projections.map(() => new MemoryTable());
  let events = 0;
  for await (const event of reader.store.readAll()) {
    if (event.meta.globalPosition > head) break;
    projections.forEach((p, i) => {
      try {
        p.evolve(event, tables[i]!);
      } catch (err) {
        throw new ReplayError('PROJECTION_FAILED', `projection ${p.name} fails on ${event.type} at global position ${event.meta.globalPosition}`, {
          cause: err,
        });
      }
    });
    events++;
  }
  const differences: RowDifference[] = [];
  const checkpoints: CheckpointDifference[] = [];
  for (const [i, p] of projections.entries()) {
    differences.push(...(await compare(p.name, reader.rows(p.name), tables[i]!.rows)));
    const found = (await reader.checkpoint(p.name)) ?? null;
    const expected = { version: p.version, position: head };
    if (!found || found.version !== expected.version || found.position !== expected.position) {
      checkpoints.push({ projection: p.name, found, expected });
    }
  }
  return { head, events, projections: projections.map((p) => p.name), differences, checkpoints, ms: performance.now() - started };
}
