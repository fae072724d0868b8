/**
 * Key layout of the event log (see docs/eventlog.md). Every keyspace is a sublevel of the
 * root db with utf8 keys and values; positions are zero-padded decimals so that byte order
 * is numeric order.
 *
 * | keyspace             | key                                   | value                         |
 * | -------------------- | ------------------------------------- | ----------------------------- |
 * | `log`                | global position (16 digits)           | the envelope as JSON          |
 * | `streams`            | `<stream>/<stream position, 16 digits>` | the global position key     |
 * | `heads`              | `<stream>`                            | last stream position          |
 * | `checkpoints`        | projection name                       | `{"version":n,"position":p}`  |
 * | `proj` / `<name>`    | the projection's own keys             | JSON of its rows              |
 * | `scratch` / `<name>` | rebuild target of `verify()`          | same as `proj`                |
 *
 * @module
 */
import type { Keyspace, RootDb } from './types.ts';

const WIDTH = 16;

/** `42` → `0000000000000042` (numeric order = byte order). */
export function positionKey(position: number): string {
  return String(position).padStart(WIDTH, '0');
}

/** Inverse of {@link positionKey}; -1 when the key is not a position. */
export function parsePositionKey(key: string): number {
  if (key.length !== WIDTH) return -1;
  let n = 0;
  for (let i = 0; i < WIDTH; i++) {
    const d = key.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Stream names: a letter or digit, then letters, digits and `_ . : @ -`, at most 200 chars.
 * `/` is excluded because it separates the stream from the position in `streams` keys.
 */
export const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$/;

/** Projection (table) names. */
export const PROJECTION_NAME = /^[a-z0-9_]{1,64}$/;

/** Key of event `position` of `stream` in the `streams` index. */
export function streamKey(stream: string, position: number): string {
  return `${stream}/${positionKey(position)}`;
}

/**
 * Range of the `streams` index holding `stream`: `[stream/, stream0)`. No other stream
 * falls inside because `/` is not allowed in names and `0` is the byte after `/`.
 */
export function streamRange(stream: string, from = 0, to?: number): { gte: string; lt: string } {
  return {
    gte: streamKey(stream, Math.max(0, from)),
    lt: to === undefined ? `${stream}0` : streamKey(stream, to + 1),
  };
}

/** The keyspaces of one store, created once per root db. */
export interface Keyspaces {
  log: Keyspace;
  streams: Keyspace;
  heads: Keyspace;
  checkpoints: Keyspace;
  /** Live table of a projection. */
  table(name: string): Keyspace;
  /** Scratch table used by `verify()`. */
  scratch(name: string): Keyspace;
}

/**
 * Creates the store's sublevels on `db`. Tables are created on first use; call
 * {@link openKeyspaces} before reading them synchronously (a sublevel opens itself
 * asynchronously, and `getSync` refuses a sublevel that is still opening).
 */
export function keyspaces(db: RootDb): Keyspaces {
  const tables = new Map<string, Keyspace>();
  const sub = (name: string | string[]): Keyspace => {
    const id = Array.isArray(name) ? name.join('/') : name;
    let s = tables.get(id);
    if (!s) {
      s = db.sublevel<string, string>(name, { keyEncoding: 'utf8', valueEncoding: 'utf8' }) as Keyspace;
      tables.set(id, s);
    }
    return s;
  };
  return {
    log: sub('log'),
    streams: sub('streams'),
    heads: sub('heads'),
    checkpoints: sub('checkpoints'),
    table: (name) => sub(['proj', name]),
    scratch: (name) => sub(['scratch', name]),
  };
}

/** Waits until the fixed keyspaces and the tables of `projections` are open. */
export async function openKeyspaces(ks: Keyspaces, projections: readonly string[]): Promise<void> {
  const all = [ks.log, ks.streams, ks.heads, ks.checkpoints, ...projections.map((p) => ks.table(p))];
  await Promise.all(all.map((s) => s.open()));
}
