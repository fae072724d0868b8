/**
 * Writes a {@link LogSnapshot} as an export file (format in `exportFormat.ts`), line by line
 * through a sink that may wait (a file or a pipe with backpressure).
 *
 * Every record is checked before it is written: with zod against the schema of the version it
 * was written with (as `verify` does), and re-encoded from its line to prove that an import
 * will store these very bytes. A log that fails either is not exported: the file would not be
 * a faithful copy.
 *
 * @module
 */
import type { EventRegistry } from '../../../eventlog/index.ts';
import { parsePositionKey, positionKey } from '../../../eventlog/keys.ts';
import { parseRecord } from '../../../eventlog/recordFormat.ts';
import { parseWrapped } from '../../../eventlog/vault/sealedFormat.ts';
import { ReplayError } from './errors.ts';
import { BodyDigest, DataKeyLine, EXPORT_FORMAT, KeyCheckLine, EXPORT_VERSION, eventLine, recordFromLine, wrappedText, type EndLine, type HeaderLine } from './exportFormat.ts';
import type { LogSnapshot } from './logSnapshot.ts';

/** Takes one line (without its newline); resolves when more may be written. */
export type LineSink = (line: string) => Promise<void> | void;

/** What an export held. */
export interface ExportCounts {
  events: number;
  streams: number;
  dataKeys: number;
  keyChecks: number;
  sha256: string;
}

/**
 * Writes the header, every event, data key and key check value, and the end line.
 * @throws {ReplayError} `LOG_UNREADABLE` for a record that fails its schema or would not be reproduced byte for byte.
 */
export async function writeExport(snapshot: LogSnapshot, registry: EventRegistry<any>, sink: LineSink): Promise<ExportCounts> {
  const header: HeaderLine = { format: EXPORT_FORMAT, version: EXPORT_VERSION, source: snapshot.source, events: snapshot.head + 1 };
  await sink(JSON.stringify(header));
  const digest = new BodyDigest();
  const body = async (line: string) => {
    digest.add(line);
    await sink(line);
  };
  const streams = new Set<string>();
  let events = 0;
  for await (const [position, raw] of snapshot.records()) {
    const key = positionKey(position);
    if (position !== events) throw new ReplayError('LOG_UNREADABLE', `the log has no event at global position ${events} (next is ${position})`);
    // Full zod check of the stored version; throws EventDecodeError naming the position.
    registry.decode(raw, key, position, 'full');
    const line = eventLine(parseRecord(raw, key, parsePositionKey(key)));
    if (recordFromLine(line) !== raw) {
      throw new ReplayError('LOG_UNREADABLE', `the record at global position ${position} is not in the store's own encoding: an import would not reproduce it byte for byte`);
    }
    streams.add(line.stream);
    await body(JSON.stringify(line));
    events++;
  }
  if (events !== header.events) throw new ReplayError('LOG_UNREADABLE', `the log head is ${snapshot.head} but ${events} event(s) were read`);
  let dataKeys = 0;
  for await (const [linkId, raw] of snapshot.dataKeys()) {
    const wrapped = parseWrapped(raw);
    const line = wrapped && DataKeyLine.safeParse({ kind: 'dataKey', linkId, wrapped: { f: wrapped.f, mk: wrapped.mk, dk: wrapped.dk, box: wrapped.box } });
    // The import stores wrappedText(line.wrapped): only a record in exactly that form survives the trip unchanged.
    if (!line?.success || wrappedText(line.data.wrapped) !== raw) {
      throw new ReplayError('LOG_UNREADABLE', `the stored data key of link ${linkId} is not a wrapped key record of format 1`);
    }
    await body(JSON.stringify(line.data));
    dataKeys++;
  }
  const checks = await snapshot.keyChecks();
  for (const [masterKeyId, kcv] of checks) {
    const line = KeyCheckLine.safeParse({ kind: 'keyCheck', masterKeyId, kcv });
    if (!line.success) throw new ReplayError('LOG_UNREADABLE', `the stored key check value of master key ${masterKeyId} is malformed`);
    await body(JSON.stringify(line.data));
  }
  const end: EndLine = { kind: 'end', events, streams: streams.size, dataKeys, keyChecks: checks.length, sha256: digest.hex() };
  await sink(JSON.stringify(end));
  return { events, streams: streams.size, dataKeys, keyChecks: checks.length, sha256: end.sha256 };
}
