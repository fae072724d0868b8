import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventDecodeError } from '../../eventlog/errors.ts';
import { checksum, encodeRecord, parseRecord } from '../../eventlog/recordFormat.ts';
import type { EventMeta } from '../../eventlog/types.ts';

const RecordFormat = suite('record format: what the store writes is read back exactly, and any damage is named');

const meta: EventMeta = {
  eventId: '8b5b4b51-6c82-4f85-a7de-1a85a906a4ca',
  stream: 'user-1',
  streamPosition: 12,
  globalPosition: 7,
  time: '2026-01-01T00:00:00.000Z',
  correlationId: 'c-1',
};

const isDecodeError = (e: unknown): boolean => e instanceof EventDecodeError && /position 7/.test((e as Error).message);

/** Meta as the store writes it (streams and times of any text, to exercise escapes). */
const anyMeta = fc.record({
  eventId: fc.uuid(),
  stream: fc.string(),
  streamPosition: fc.nat(),
  globalPosition: fc.constant(7),
  time: fc.string(),
  correlationId: fc.string({ unit: 'binary' }),
}).map((m): EventMeta => ({ ...m })); // a plain object, as the store's meta is

RecordFormat('every record the store writes is read back as written, with its fingerprint', () => {
  fc.assert(
    fc.property(fc.jsonValue(), anyMeta, fc.string(), (data, m, fingerprint) => {
      const parts = parseRecord(encodeRecord('Played', 3, data, m, fingerprint), '0000000000000007', 7);
      assert.equal(parts, { type: 'Played', v: 3, data: JSON.parse(JSON.stringify(data)), meta: m, fingerprint });
    }),
    { numRuns: 1000 },
  );
});

RecordFormat('a record written before fingerprints (format 1) is still read, with no fingerprint', () => {
  const old = JSON.stringify(['Played', 1, { track: 't' }, meta.stream, meta.streamPosition, meta.time, meta.eventId, meta.correlationId]);
  assert.equal(parseRecord(old, '0000000000000007', 7), { type: 'Played', v: 1, data: { track: 't' }, meta, fingerprint: null });
});

RecordFormat('every single-character damage of a stored record is refused with its position, never read as another event (exhaustive)', () => {
  const chars = ['"', ',', '[', ']', '{', '}', ':', '0', '9', 'a', 'f', ' ', '\\', '\u0000', '\n', 'x'];
  const samples = [
    encodeRecord('Played', 1, { track: 't', ms: 0 }, meta, '1a2b3c4d'),
    encodeRecord('Played', 2, { track: 'a "b"', ms: 1005, tags: ['x', ''] }, { ...meta, streamPosition: 0 }, ''),
  ];
  for (const raw of samples) {
    const intact = parseRecord(raw, '0000000000000007', 7);
    const damaged = new Set<string>();
    for (let i = 0; i <= raw.length; i++) {
      damaged.add(raw.slice(0, i) + raw.slice(i + 1));
      for (const c of chars) damaged.add(raw.slice(0, i) + c + raw.slice(i)).add(raw.slice(0, i) + c + raw.slice(i + 1));
    }
    damaged.delete(raw);
    let read = 0;
    for (const d of damaged) {
      let parts;
      try {
        parts = parseRecord(d, '0000000000000007', 7);
      } catch (err) {
        assert.ok(isDecodeError(err), `not a decode error: ${String(err)}`);
        continue;
      }
      // Only a respelling of the checksum number itself (`, 123]`, `123 ]`) reads, as the same event.
      assert.equal(parts, intact, `read a damaged record as another event: ${JSON.stringify(d)}`);
      read++;
    }
    assert.ok(read < 10, `${read} damaged spellings read`);
  }
});

RecordFormat('a record rewritten with its checksum fixed is read as written (only a full check can tell)', () => {
  const raw = encodeRecord('Played', 1, { ms: 5 }, meta, 'ffffffff');
  const head = raw.slice(0, raw.lastIndexOf(',')).replace('"ms":5', '"ms":"x"');
  assert.equal(parseRecord(`${head},${checksum(head)}]`, 'k', 7).data, { ms: 'x' });
});

RecordFormat('positions beyond the safe integers are refused', () => {
  for (const streamPosition of [2 ** 53, 1e16, -1.5]) {
    assert.throws(() => parseRecord(encodeRecord('Played', 1, {}, { ...meta, streamPosition }, ''), 'k', 7), /malformed envelope/);
  }
  assert.is(parseRecord(encodeRecord('Played', 1, {}, { ...meta, streamPosition: 2 ** 53 - 1 }, ''), 'k', 7).meta.streamPosition, 2 ** 53 - 1);
});

RecordFormat('a torn record and an array of another length are named', () => {
  assert.throws(() => parseRecord('["Played",1,{"track"', 'k', 1), (e: unknown) => e instanceof EventDecodeError && /not valid JSON/.test((e as Error).message));
  assert.throws(() => parseRecord('["Played",1,{}]', 'k', 1), /not of a known format/);
});

RecordFormat.run();
