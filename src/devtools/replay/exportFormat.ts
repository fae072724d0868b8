/**
 * The export file of `replay export` / `replay import` (format `eventlog-export`, version 1):
 * the whole event log and the vault's wrapped data keys as NDJSON, one JSON object per line,
 * UTF-8, each line ending in `\n`:
 *
 * ```
 * {"format":"eventlog-export","version":1,"source":"leveldb","events":3}
 * {"kind":"event","position":0,"stream":"link-7","streamPosition":0,"type":"LoginStarted","v":1,"time":"…","eventId":"…","correlationId":"…","fingerprint":"1a2b3c4d","data":{…}}
 * …                                              every event, global positions 0, 1, 2… in order
 * {"kind":"dataKey","linkId":"…","wrapped":{"f":1,"mk":"…","dk":"…","box":"…"}}   by link id
 * {"kind":"keyCheck","masterKeyId":"…","kcv":"…"}                                  by id
 * {"kind":"end","events":3,"streams":1,"dataKeys":1,"keyChecks":1,"sha256":"…"}
 * ```
 *
 * An event line holds the stored record's fields as they are (the version it was written
 * with, not upcast; its schema fingerprint, `null` for a record of format 1), so an import
 * writes back the very record bytes (`recordFromLine`) and an export of the imported log is
 * the same file. `sha256` covers every line between the header and the end line (newlines
 * included): a truncated file has no end line, a changed line changes the digest. The header
 * is not covered, so exports of one log from either backend differ only in `source`.
 *
 * Data keys stay wrapped by the master key that wrapped them (`mk`): the file holds no token
 * and no key in the clear, and is useless without `TOKEN_ENCRYPTION_KEY`. A shredded key is
 * not in the store, so it is not in the file.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';
import { STREAM_NAME } from '../../../eventlog/index.ts';
import { encodeRecord, type RecordParts } from '../../../eventlog/recordFormat.ts';

/** The `format` of the header line. */
export const EXPORT_FORMAT = 'eventlog-export';
/** The only version this code writes and reads. */
export const EXPORT_VERSION = 1;

/** Where an export was read from. */
export type ExportSource = 'leveldb' | 'postgresql';

const count = z.number().int().min(0);

/** Line 1. `events` is the number of event lines that follow. */
export const HeaderLine = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.number().int(),
  source: z.enum(['leveldb', 'postgresql']),
  events: count,
});
export type HeaderLine = z.infer<typeof HeaderLine>;

/** One stored event: its record's fields, and its global position. */
export const EventLine = z.strictObject({
  kind: z.literal('event'),
  position: count,
  stream: z.string().regex(STREAM_NAME),
  streamPosition: count,
  type: z.string().min(1),
  v: z.number().int().min(1),
  time: z.string().min(1),
  eventId: z.string().min(1),
  correlationId: z.string().min(1),
  /** The schema fingerprint written with the record; null: a record of format 1 (none). */
  fingerprint: z.string().nullable(),
  data: z.unknown(),
});
export type EventLine = z.infer<typeof EventLine>;

/** A link's data key, wrapped by master key `mk` exactly as the vault stores it. */
export const DataKeyLine = z.strictObject({
  kind: z.literal('dataKey'),
  linkId: z.string().min(1).max(200).refine((id) => !id.includes('\0'), 'no NUL in a link id'),
  wrapped: z.strictObject({ f: z.literal(1), mk: z.string().regex(/^[0-9a-f]{8}$/), dk: z.string().min(1), box: z.string().regex(/^[A-Za-z0-9_-]+$/) }),
});
export type DataKeyLine = z.infer<typeof DataKeyLine>;

/** The key check value of a master key that wraps data keys (not secret: an HMAC of a constant). */
export const KeyCheckLine = z.strictObject({
  kind: z.literal('keyCheck'),
  masterKeyId: z.string().regex(/^[0-9a-f]{8}$/),
  kcv: z.string().regex(/^[0-9a-f]{32}$/),
});
export type KeyCheckLine = z.infer<typeof KeyCheckLine>;

/** The last line: the counts and the digest of every line between header and end. */
export const EndLine = z.strictObject({
  kind: z.literal('end'),
  events: count,
  streams: count,
  dataKeys: count,
  keyChecks: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type EndLine = z.infer<typeof EndLine>;

/** The event line of a parsed stored record. */
export function eventLine(parts: RecordParts): EventLine {
  const { meta } = parts;
  return {
    kind: 'event',
    position: meta.globalPosition,
    stream: meta.stream,
    streamPosition: meta.streamPosition,
    type: parts.type,
    v: parts.v,
    time: meta.time,
    eventId: meta.eventId,
    correlationId: meta.correlationId,
    fingerprint: parts.fingerprint,
    data: parts.data,
  };
}

/** The stored record text of an event line: format 2 with its fingerprint, format 1 without. */
export function recordFromLine(e: EventLine): string {
  const meta = { eventId: e.eventId, stream: e.stream, streamPosition: e.streamPosition, globalPosition: e.position, time: e.time, correlationId: e.correlationId };
  if (e.fingerprint === null) return JSON.stringify([e.type, e.v, e.data, e.stream, e.streamPosition, e.time, e.eventId, e.correlationId]);
  return encodeRecord(e.type, e.v, e.data, meta, e.fingerprint);
}

/** The wrapped-key record as the vault stores it (`{"f":1,"mk":…,"dk":…,"box":…}`, in that order). */
export function wrappedText(w: DataKeyLine['wrapped']): string {
  return JSON.stringify({ f: w.f, mk: w.mk, dk: w.dk, box: w.box });
}

/** The running SHA-256 of the body lines (everything between header and end line). */
export class BodyDigest {
  readonly #hash: Hash = createHash('sha256');
  add(line: string): void {
    this.#hash.update(line).update('\n');
  }
  hex(): string {
    return this.#hash.digest('hex');
  }
}
