/**
 * How an event is stored in the `log` keyspace: a JSON array. Record format 2 (what the
 * store writes) is
 *
 *     [type, v, data, stream, streamPosition, time, eventId, correlationId, fingerprint, checksum]
 *
 * and format 1 (data dirs written before it) is the same array without the last two. The
 * global position is the record's key, so it is not repeated. An array rather than an
 * object because a rebuild decodes every record of the log and arrays of this size parse
 * markedly faster than objects with long key names; it is still plain JSON.
 *
 * - `fingerprint`: of the zod schema of `type@v` the data was validated against when it
 *   was appended (see `registry.ts`); `''` when the schema has none.
 * - `checksum`: the CRC-32 (`node:zlib`, a number) of the record's text before its comma
 *   (every other field, data included). LevelDB reads without checking its own block
 *   checksums (classic-level exposes neither `verify_checksums` nor `paranoid_checks`), so
 *   this is what tells that the bytes are the ones the store wrote. It catches damage, not
 *   someone rewriting a record on purpose: that is what `verify`, which checks every record
 *   with zod, is for.
 *
 * @module
 */
import { crc32 } from 'node:zlib';
import { EventDecodeError } from './errors.ts';
import type { EventMeta } from './types.ts';

/** A record split into its parts, `data` not yet checked against a schema. */
export interface RecordParts {
  type: string;
  v: number;
  data: unknown;
  meta: EventMeta;
  /** The schema fingerprint the record carries; null for a format 1 record. */
  fingerprint: string | null;
}

/** The CRC-32 of `text` (its UTF-8 bytes), an unsigned 32-bit integer. */
export const checksum: (text: string) => number = crc32;

/** Serialises one event for the log (format 2), `fingerprint` being that of `type@v`'s schema. */
export function encodeRecord(type: string, v: number, data: unknown, meta: EventMeta, fingerprint: string): string {
  const json = JSON.stringify([type, v, data, meta.stream, meta.streamPosition, meta.time, meta.eventId, meta.correlationId, fingerprint]);
  const head = json.slice(0, -1);
  return `${head},${checksum(head)}]`;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);

/**
 * Parses a stored record found at `key` (global position `position`) and checks the
 * checksum of a format 2 record.
 * @throws {EventDecodeError} when the record is torn, not JSON, of no known format, or
 *   its checksum does not match (it changed after it was written).
 */
export function parseRecord(raw: string, key: string, position: number): RecordParts {
  let r: unknown[];
  try {
    r = JSON.parse(raw);
  } catch {
    throw new EventDecodeError(key, position, 'the record is not valid JSON (torn or corrupted)');
  }
  if (!Array.isArray(r) || (r.length !== 8 && r.length !== 10)) throw new EventDecodeError(key, position, 'the record is not of a known format');
  const type = r[0];
  const v = r[1];
  const stream = r[3];
  const streamPosition = r[4];
  const time = r[5];
  const eventId = r[6];
  const correlationId = r[7];
  const fingerprint = r.length === 10 ? r[8] : null;
  if (
    typeof type !== 'string' ||
    !isInt(v) ||
    typeof stream !== 'string' ||
    !isInt(streamPosition) ||
    typeof time !== 'string' ||
    typeof eventId !== 'string' ||
    typeof correlationId !== 'string' ||
    (fingerprint !== null && typeof fingerprint !== 'string')
  ) {
    throw new EventDecodeError(key, position, 'the record has a malformed envelope');
  }
  // The checksum is the last element, a number: everything before its comma is what it covers.
  if (fingerprint !== null && r[9] !== checksum(raw.slice(0, raw.lastIndexOf(',')))) {
    throw new EventDecodeError(key, position, 'the record does not match its checksum (it changed after it was written)');
  }
  return {
    type,
    v,
    data: r[2],
    meta: { eventId, stream, streamPosition, globalPosition: position, time, correlationId },
    fingerprint,
  };
}
