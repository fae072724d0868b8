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
 * @module
 */
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
