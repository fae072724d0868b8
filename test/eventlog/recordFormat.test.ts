import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { compileTextParser, type ParseSlot } from '../../eventlog/compiledSchema.ts';
import { EventDecodeError } from '../../eventlog/errors.ts';
import { encodeRecord, parseRecord, parseRecordFast, type FastDataParser, type RecordParts } from '../../eventlog/recordFormat.ts';
import type { EventMeta } from '../../eventlog/types.ts';
import { applyEdits, assertSameValue, edit, isPlain, near, text } from './fixtures/schemaValues.ts';

const RecordFormat = suite('record format 1: the fast path reads what the full parse reads');

const schema = z.strictObject({ track: z.string().min(1), ms: z.number().int().nonnegative(), tags: z.array(z.string()).optional() });
const played: FastDataParser = { type: 'Played', parse: compileTextParser(schema)! };
const parserFor = (raw: string, start: number, end: number, v: number): FastDataParser | undefined =>
  raw.slice(start, end) === 'Played' && v === 1 ? played : undefined;
const fast = (raw: string, position = 7): RecordParts | null => parseRecordFast(raw, position, parserFor, { value: undefined } as ParseSlot);

/** Meta as the store writes it. */
const storeMeta = fc.record({
  eventId: fc.uuid(),
  stream: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,30}$/),
  streamPosition: fc.nat(),
  globalPosition: fc.constant(7),
  time: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  correlationId: fc.oneof(fc.uuid(), text),
});
/** Meta as nobody should write it, too. */
const anyMeta = fc.record({
  eventId: text,
  stream: text,
  streamPosition: fc.oneof(fc.nat(), fc.constantFrom(-1, 1.5, 2 ** 53, 1e16, 123456789012345)),
  globalPosition: fc.constant(7),
  time: text,
  correlationId: text,
});
const type = fc.constantFrom('Played', 'Played', 'Other', 'Play', '');
const version = fc.constantFrom(1, 1, 2, 0);

/** If the fast path reads `raw`, the full parse and the schema read it, to the same parts. */
function assertAgrees(raw: string): void {
  const got = fast(raw);
  if (!got) return;
  let slow: RecordParts;
  try {
    slow = parseRecord(raw, '0000000000000007', 7);
  } catch (err) {
    assert.unreachable(`the fast path read a record the full parse rejects (${(err as Error).message}): ${JSON.stringify(raw)}`);
  }
  assert.is(got.type, slow!.type);
  assert.is(got.v, slow!.v);
  assertSameValue(got.meta, slow!.meta);
  const data = schema.safeParse(slow!.data);
  assert.ok(data.success, `the fast path read data its schema rejects: ${JSON.stringify(raw)}`);
  assertSameValue(got.data, data.data);
}

RecordFormat('every record the store writes is read by the fast path, exactly as the full parse reads it', () => {
  fc.assert(
    fc.property(near(schema), storeMeta, (data, meta: EventMeta) => {
      const valid = schema.safeParse(data);
      if (!valid.success) return;
      const raw = encodeRecord('Played', 1, valid.data, meta);
      if (!isPlain(raw)) return assertAgrees(raw);
      const got = fast(raw);
      assert.ok(got, `the fast path declined a stored record: ${raw}`);
      assertAgrees(raw);
    }),
    { numRuns: 2000 },
  );
});

RecordFormat('records of other types, versions, meta or data are read only when the full parse agrees', () => {
  fc.assert(
    fc.property(type, version, near(schema), fc.oneof(storeMeta, anyMeta), (t, v, data, meta: EventMeta) => {
      assertAgrees(encodeRecord(t, v, data, meta));
    }),
    { numRuns: 2000 },
  );
});

RecordFormat('damaged records are never read by the fast path unless the full parse reads them too', () => {
  fc.assert(
    fc.property(near(schema), storeMeta, fc.array(edit, { minLength: 1, maxLength: 3 }), (data, meta: EventMeta, edits) => {
      const valid = schema.safeParse(data);
      assertAgrees(applyEdits(encodeRecord('Played', 1, valid.success ? valid.data : data, meta), edits));
    }),
    { numRuns: 3000 },
  );
});

RecordFormat('every single-character damage of a stored record is caught (exhaustive)', () => {
  const chars = ['"', ',', '[', ']', '{', '}', ':', '0', '9', '-', '.', 'e', ' ', '\\', '\u0000', '\n', 'x'];
  const meta = { eventId: '8b5b4b51-6c82-4f85-a7de-1a85a906a4ca', stream: 'user-1', streamPosition: 12, globalPosition: 7, time: '2026-01-01T00:00:00.000Z', correlationId: 'c-1' };
  const samples: [object, EventMeta][] = [
    [{ track: 't', ms: 0 }, meta],
    [{ track: 'a b', ms: 1005, tags: ['x', ''] }, { ...meta, streamPosition: 0 }],
  ];
  for (const [data, m] of samples) {
    const raw = encodeRecord('Played', 1, data, m);
    assert.ok(fast(raw), 'the intact record takes the fast path');
    for (let i = 0; i <= raw.length; i++) {
      assertAgrees(raw.slice(0, i) + raw.slice(i + 1));
      for (const c of chars) {
        assertAgrees(raw.slice(0, i) + c + raw.slice(i));
        assertAgrees(raw.slice(0, i) + c + raw.slice(i + 1));
      }
    }
  }
});

RecordFormat('positions beyond the safe integers are refused on both paths', () => {
  const meta = { eventId: 'e', stream: 's', streamPosition: 0, globalPosition: 7, time: 't', correlationId: 'c' };
  for (const streamPosition of [2 ** 53 - 1, 2 ** 53, 1e16, 123456789012345, 1234567890123456]) {
    assertAgrees(encodeRecord('Played', 1, { track: 't', ms: 1 }, { ...meta, streamPosition }));
  }
  assert.ok(fast(encodeRecord('Played', 1, { track: 't', ms: 1 }, { ...meta, streamPosition: 123456789012345 })));
  assert.throws(() => parseRecord(encodeRecord('Played', 1, {}, { ...meta, streamPosition: 2 ** 53 }), 'k', 7), /malformed envelope/);
});

RecordFormat('the full parse still names a torn record', () => {
  assert.throws(() => parseRecord('["Played",1,{"track"', 'k', 1), (e: unknown) => e instanceof EventDecodeError && /not valid JSON/.test((e as Error).message));
});

RecordFormat.run();
