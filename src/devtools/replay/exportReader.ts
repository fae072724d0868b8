/**
 * Reads an export file line by line and checks everything before handing it on: the header
 * (format and version), each line against its zod schema, every event's data against the
 * store's schema of its type and version (the registry, with `'full'` checks, as `verify`),
 * gap-free global and stream positions, data keys and key checks in order without duplicates,
 * and at the end the counts and the SHA-256 of the body.
 *
 * Problems are one-line {@link ReplayError}s (`EXPORT_INVALID`) naming the file, the line
 * number and the field path – never a value (event data holds sealed tokens). The last check
 * happens when the end line is read, so a consumer must read to the end before it commits
 * anything.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { EventDecodeError, type EventRegistry } from '../../../eventlog/index.ts';
import { positionKey } from '../../../eventlog/keys.ts';
import { ReplayError } from './errors.ts';
import {
  BodyDigest,
  DataKeyLine,
  EndLine,
  EventLine,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  HeaderLine,
  KeyCheckLine,
  recordFromLine,
  wrappedText,
} from './exportFormat.ts';

/** One checked item of an export, in file order. */
export type ExportItem =
  | { kind: 'header'; header: HeaderLine }
  | { kind: 'event'; line: EventLine; record: string }
  | { kind: 'dataKey'; linkId: string; wrapped: string; masterKeyId: string }
  | { kind: 'keyCheck'; masterKeyId: string; kcv: string }
  | { kind: 'end'; end: EndLine };

const HINT = 'the file is damaged, truncated or not written by `replay export`; nothing was imported';

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(line)'}: ${i.message}`)
    .join('; ');
}

/**
 * Yields the checked items of `file`.
 * @throws {ReplayError} `NOT_FOUND` when there is no such file, `EXPORT_INVALID` for anything wrong in it.
 */
export async function* readExport(file: string, registry: EventRegistry<any>): AsyncGenerator<ExportItem> {
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) throw new ReplayError('NOT_FOUND', `no export file at ${file}`, { hint: 'pass the file `replay export --out <file>` wrote' });
  const invalid = (n: number, why: string) => new ReplayError('EXPORT_INVALID', `${file} line ${n}: ${why}`, { hint: HINT });
  const parse = <S extends z.ZodType>(schema: S, value: unknown, n: number, what: string): z.output<S> => {
    const r = schema.safeParse(value);
    if (!r.success) throw invalid(n, `not a valid ${what} line (${issues(r.error)})`);
    return r.data;
  };

  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const digest = new BodyDigest();
  const versions = new Map<string, number>();
  let header: HeaderLine | undefined;
  let end: EndLine | undefined;
  let n = 0;
  let events = 0;
  let lastLink: string | undefined;
  let lastCheck: string | undefined;
  let dataKeys = 0;
  let keyChecks = 0;
  for await (const text of lines) {
    n++;
    if (end) throw invalid(n, 'more lines after the end line');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw invalid(n, n === 1 ? 'not an export file (the first line is not JSON; with npm run, use `npm run -s` so npm prints nothing to stdout)' : 'not JSON (the line is damaged or cut off)');
    }
    if (!header) {
      const h = value as Partial<HeaderLine> | null;
      if (h?.format !== EXPORT_FORMAT) throw invalid(n, `not an export file (the first line is no ${EXPORT_FORMAT} header)`);
      if (h.version !== EXPORT_VERSION) throw invalid(n, `export format version ${JSON.stringify(h.version)} is not supported (this replay reads version ${EXPORT_VERSION})`);
      header = parse(HeaderLine, value, n, 'header');
      yield { kind: 'header', header };
      continue;
    }
    const kind = (value as { kind?: unknown } | null)?.kind;
    if (kind === 'end') {
      end = parse(EndLine, value, n, 'end');
      continue;
    }
    digest.add(text);
    if (kind === 'event') {
      if (lastLink !== undefined || lastCheck !== undefined) throw invalid(n, 'an event after the data keys (events come first)');
      const line = parse(EventLine, value, n, 'event');
      if (line.position !== events) throw invalid(n, `event at global position ${line.position}, expected ${events} (positions are gap-free and in order)`);
      const expected = (versions.get(line.stream) ?? -1) + 1;
      if (line.streamPosition !== expected) throw invalid(n, `event ${line.streamPosition} of ${line.stream}, expected ${expected}`);
      const record = recordFromLine(line);
      try {
        registry.decode(record, positionKey(line.position), line.position, 'full');
      } catch (err) {
        if (err instanceof EventDecodeError) throw invalid(n, `event at global position ${line.position}: ${err.reason}`);
        throw err;
      }
      versions.set(line.stream, line.streamPosition);
      events++;
      yield { kind: 'event', line, record };
    } else if (kind === 'dataKey') {
      if (lastCheck !== undefined) throw invalid(n, 'a data key after the key checks');
      const line = parse(DataKeyLine, value, n, 'data key');
      if (lastLink !== undefined && byteOrder(lastLink, line.linkId) >= 0) throw invalid(n, `data key of link ${line.linkId} out of order or repeated`);
      lastLink = line.linkId;
      dataKeys++;
      yield { kind: 'dataKey', linkId: line.linkId, wrapped: wrappedText(line.wrapped), masterKeyId: line.wrapped.mk };
    } else if (kind === 'keyCheck') {
      const line = parse(KeyCheckLine, value, n, 'key check');
      if (lastCheck !== undefined && byteOrder(lastCheck, line.masterKeyId) >= 0) throw invalid(n, `key check of master key ${line.masterKeyId} out of order or repeated`);
      lastCheck = line.masterKeyId;
      keyChecks++;
      yield { kind: 'keyCheck', masterKeyId: line.masterKeyId, kcv: line.kcv };
    } else {
      throw invalid(n, `unknown line kind ${JSON.stringify(kind)?.slice(0, 40)}`);
    }
  }
  if (!header) throw invalid(1, 'the file is empty');
  if (!end) throw invalid(n, `the file ends without its end line: truncated after ${events} of ${header.events} event(s)`);
  const found = { events, streams: versions.size, dataKeys, keyChecks };
  for (const [k, v] of Object.entries(found)) {
    if (end[k as keyof typeof found] !== v) throw invalid(n, `the end line counts ${end[k as keyof typeof found]} ${k}, the file holds ${v}`);
  }
  if (header.events !== events) throw invalid(1, `the header announces ${header.events} event(s), the file holds ${events}`);
  if (digest.hex() !== end.sha256) throw invalid(n, 'checksum mismatch: the SHA-256 of the lines does not match the end line (a line was changed)');
  yield { kind: 'end', end };
}

/** Reads `file` to the end without writing anything: every check of {@link readExport}. */
export async function checkExport(file: string, registry: EventRegistry<any>): Promise<EndLine> {
  let end: EndLine | undefined;
  for await (const item of readExport(file, registry)) if (item.kind === 'end') end = item.end;
  return end!;
}
