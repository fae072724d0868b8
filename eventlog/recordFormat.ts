/**
 * How an event is stored in the `log` keyspace: record format 1, a JSON array
 *
 *     [type, v, data, stream, streamPosition, time, eventId, correlationId]
 *
 * The global position is the record's key, so it is not repeated. An array rather than an
 * object because a rebuild decodes every record of the log and JSON arrays parse markedly
 * faster than objects with long key names; it is still plain JSON for anyone reading raw
 * data. A future format would use a different shape (e.g. a leading format number).
 *
 * Two readers: {@link parseRecordFast} (no `JSON.parse`, declines anything unusual) and
 * {@link parseRecord} (the full parse, which reports what is wrong).
 *
 * @module
 */
import type { ParseSlot, TextParser } from './compiledSchema.ts';
import { EventDecodeError } from './errors.ts';
import type { EventMeta } from './types.ts';

/** A record split into its parts, `data` not yet checked against a schema. */
export interface RecordParts {
  type: string;
  v: number;
  data: unknown;
  meta: EventMeta;
}

/** Serialises one event for the log. */
export function encodeRecord(type: string, v: number, data: unknown, meta: EventMeta): string {
  return JSON.stringify([type, v, data, meta.stream, meta.streamPosition, meta.time, meta.eventId, meta.correlationId]);
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);

/**
 * Parses a stored record found at `key` (global position `position`).
 * @throws {EventDecodeError} when the record is torn, not JSON or not of format 1.
 */
export function parseRecord(raw: string, key: string, position: number): RecordParts {
  let r: unknown[];
  try {
    r = JSON.parse(raw);
  } catch {
    throw new EventDecodeError(key, position, 'the record is not valid JSON (torn or corrupted)');
  }
  if (!Array.isArray(r) || r.length !== 8) throw new EventDecodeError(key, position, 'the record is not of a known format');
  const [type, v, data, stream, streamPosition, time, eventId, correlationId] = r;
  if (
    typeof type !== 'string' ||
    !isInt(v) ||
    typeof stream !== 'string' ||
    !isInt(streamPosition) ||
    typeof time !== 'string' ||
    typeof eventId !== 'string' ||
    typeof correlationId !== 'string'
  ) {
    throw new EventDecodeError(key, position, 'the record has a malformed envelope');
  }
  return { type, v, data, meta: { eventId, stream, streamPosition, globalPosition: position, time, correlationId } };
}

/** No escape and no raw control character (invalid in JSON); anchored, as that scans fastest. */
const PLAIN = /^[^\u0000-\u001f\\]*$/;

/** The compiled parser of `type@v`'s data, with the registered type name. */
export interface FastDataParser {
  type: string;
  parse: TextParser;
}

/** `0` or a positive integer of at most 15 digits (always safe) at `s[i]`; -1 if none. */
function unsigned(s: string, i: number, slot: ParseSlot): number {
  let c = s.charCodeAt(i);
  if (c === 48) return (slot.value = 0), i + 1;
  let j = i;
  let n = 0;
  while (c >= 48 && c <= 57) {
    n = n * 10 + (c - 48);
    c = s.charCodeAt(++j);
  }
  if (j === i || j - i > 15) return -1;
  slot.value = n;
  return j;
}

/** End quote of a plain string that opens at `s[i]` and is followed by `next`; -1 otherwise. */
function stringEnd(s: string, i: number, next: number): number {
  if (s.charCodeAt(i) !== 34) return -1;
  const j = s.indexOf('"', i + 1);
  return j > 0 && s.charCodeAt(j + 1) === next ? j : -1;
}

/**
 * The fast path of {@link parseRecord}: reads a record written by {@link encodeRecord}
 * without `JSON.parse`, checking `data` with the compiled parser of its `type@v`. Returns
 * exactly what `parseRecord` plus the schema check would give, or null to decline (any
 * escape, control character or other spelling, unknown type or version, data the
 * compiled parser declines) – the caller then takes the slow path, which reports errors.
 */
export function parseRecordFast(
  raw: string,
  position: number,
  parserFor: (raw: string, typeStart: number, typeEnd: number, v: number) => FastDataParser | null | undefined,
  slot: ParseSlot,
): RecordParts | null {
  // With no backslash in the record, the first quote after an opening one closes it.
  if (raw.charCodeAt(0) !== 91 || !PLAIN.test(raw)) return null;
  let j = stringEnd(raw, 1, 44);
  if (j < 0) return null;
  let i = unsigned(raw, j + 2, slot);
  if (i < 0 || raw.charCodeAt(i) !== 44) return null;
  const v = slot.value as number;
  const parser = parserFor(raw, 2, j, v);
  if (!parser) return null;
  i = parser.parse(raw, i + 1, slot);
  if (i < 0 || raw.charCodeAt(i) !== 44) return null;
  const data = slot.value;
  if ((j = stringEnd(raw, i + 1, 44)) < 0) return null;
  const stream = raw.slice(i + 2, j);
  i = unsigned(raw, j + 2, slot);
  if (i < 0 || raw.charCodeAt(i) !== 44) return null;
  const streamPosition = slot.value as number;
  if ((j = stringEnd(raw, i + 1, 44)) < 0) return null;
  const time = raw.slice(i + 2, j);
  if ((i = stringEnd(raw, j + 2, 44)) < 0) return null;
  const eventId = raw.slice(j + 3, i);
  if ((j = stringEnd(raw, i + 2, 93)) < 0 || j !== raw.length - 2) return null;
  const correlationId = raw.slice(i + 3, j);
  return { type: parser.type, v, data, meta: { eventId, stream, streamPosition, globalPosition: position, time, correlationId } };
}
