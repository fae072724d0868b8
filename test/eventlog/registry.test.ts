import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { createEventRegistry, defineEvent, EventDecodeError, EventValidationError, type EventRegistry } from '../../eventlog/index.ts';
import { checksum, encodeRecord } from '../../eventlog/recordFormat.ts';
import { formatOneRecord, Incremented, registry } from './fixtures/counterEvents.ts';

const Registry = suite('event registry');

const meta = (stream = 'c-1', streamPosition = 0) => ({
  eventId: 'e-1',
  stream,
  streamPosition,
  globalPosition: 7,
  time: '2026-01-01T00:00:00.000Z',
  correlationId: 'corr-1',
});

/** A record as the store writes it today: fingerprint of `type@v` in `r` and a checksum. */
const stored = (type: string, v: number, data: unknown, m = meta(), r: Pick<EventRegistry, 'fingerprint'> = registry) => encodeRecord(type, v, data, m, r.fingerprint(type, v));

Registry('a stored v1 event is read back upcast to the newest version', () => {
  const raw = stored('Incremented', 1, { by: 3 });
  const e = registry.decode(raw, '0000000000000007', 7);
  assert.is(e.type, 'Incremented');
  assert.is(e.v, 2);
  assert.equal(e.data, { by: 3, note: '' });
  assert.equal(e.meta, meta());
});

Registry('an event of an unknown type is an error naming its key and position, never skipped', () => {
  const raw = encodeRecord('Exploded', 1, {}, meta(), '');
  try {
    registry.decode(raw, '0000000000000007', 7);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, EventDecodeError);
    const e = err as EventDecodeError;
    assert.is(e.code, 'EVENT_DECODE');
    assert.is(e.key, '0000000000000007');
    assert.is(e.position, 7);
    assert.match(e.message, /0000000000000007/);
    assert.match(e.message, /position 7/);
    assert.match(e.message, /Exploded@1/);
  }
});

Registry('a record failing its schema names the key, position and field, not the value', () => {
  // One from before fingerprints, and one read with the full check (as verify reads).
  const reads = [() => registry.decode(formatOneRecord('Incremented', 2, { by: 'SECRET-VALUE', note: 'x' }, meta()), '0000000000000042', 42),
    () => registry.decode(stored('Incremented', 2, { by: 'SECRET-VALUE', note: 'x' }), '0000000000000042', 42, 'full')];
  for (const read of reads) {
    try {
      read();
      assert.unreachable();
    } catch (err) {
      assert.instance(err, EventDecodeError);
      const msg = (err as Error).message;
      assert.match(msg, /0000000000000042/);
      assert.match(msg, /position 42/);
      assert.match(msg, /by/);
      assert.not.match(msg, /SECRET-VALUE/);
    }
  }
});

Registry('a torn record is reported, not guessed at', () => {
  const raw = stored('Incremented', 2, { by: 1, note: 'x' }).slice(0, 20);
  assert.throws(() => registry.decode(raw, '0000000000000001', 1), (e: unknown) => e instanceof EventDecodeError && /not valid JSON/.test((e as Error).message));
});

Registry('an unknown newer version is an error (the code is older than the data)', () => {
  const raw = encodeRecord('Incremented', 3, { by: 1 }, meta(), '');
  assert.throws(() => registry.decode(raw, '0000000000000001', 1), /unknown version Incremented@3/);
});

Registry('appends are validated against the newest schema, naming the field but not the value', () => {
  try {
    registry.validate({ type: 'Incremented', data: { by: 1.5, note: 'TOPSECRET' } });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, EventValidationError);
    assert.is((err as EventValidationError).code, 'EVENT_INVALID');
    assert.match((err as Error).message, /by/);
    assert.not.match((err as Error).message, /TOPSECRET/);
  }
  assert.throws(() => registry.validate({ type: 'Nope', data: {} }), (e: unknown) => e instanceof EventValidationError);
  assert.equal(registry.validate(Incremented.of({ by: 1, note: 'n' })), { type: 'Incremented', v: 2, data: { by: 1, note: 'n' } });
});

Registry('an upcaster that throws is a decode error at that record', () => {
  const Broken = defineEvent('Broken', z.object({ a: z.number() })).upgrade(2, z.object({ b: z.number() }), () => {
    throw new Error('boom');
  });
  const r = createEventRegistry([Broken]);
  assert.throws(() => r.decode(stored('Broken', 1, { a: 1 }, meta(), r), 'k', 3), /upcasting Broken@1 to v2 threw/);
});

Registry('a record spelled unlike the store writes it (format 1, spaces, escapes, key order) reads the same', () => {
  const raw = stored('Incremented', 2, { by: 3, note: 'n' });
  const respelled = '[ "Incremented", 2, {"note":"\\u006e", "by":3}, "c-1",0,"2026-01-01T00:00:00.000Z","e-1","corr-1"]';
  const a = registry.decode(raw, '0000000000000007', 7);
  const b = registry.decode(respelled, '0000000000000007', 7);
  assert.equal(b, a);
  assert.equal(Object.keys(b.data), Object.keys(a.data), 'the schema decides the key order');
  assert.equal(Object.keys(a), ['type', 'v', 'data', 'meta']);
});

Registry('a raw control character in a record is reported as damage, not read', () => {
  const raw = stored('Incremented', 2, { by: 1, note: 'a' }).replace('"a"', '"a\u0001"');
  assert.throws(() => registry.decode(raw, '0000000000000003', 3), (e: unknown) => e instanceof EventDecodeError && /not valid JSON/.test((e as Error).message));
});

Registry('a stored value breaking a check of its schema is an error naming the field', () => {
  for (const data of [{ by: 1.5, note: 'x' }, { by: 1 }, { by: 1, note: null }, { note: 'x', by: '1' }]) {
    const raw = formatOneRecord('Incremented', 2, data, meta());
    assert.throws(() => registry.decode(raw, '0000000000000009', 9), (e: unknown) => e instanceof EventDecodeError && /position 9/.test((e as Error).message));
  }
  // A plain object schema drops unknown keys, a strict one refuses them.
  assert.equal(registry.decode(formatOneRecord('Incremented', 2, { by: 1, note: 'x', extra: true }, meta()), 'k', 1).data, { by: 1, note: 'x' });
  const Strict = defineEvent('Strict', z.strictObject({ n: z.number().int().max(10) }));
  const r = createEventRegistry([Strict]);
  assert.throws(() => r.decode(formatOneRecord('Strict', 1, { n: 11 }, meta()), 'k', 1), /Strict@1 fails its schema: n:/);
  assert.throws(() => r.decode(formatOneRecord('Strict', 1, { n: 1, m: 2 }, meta()), 'k', 1), /Strict@1 fails its schema/);
  assert.equal(r.decode(formatOneRecord('Strict', 1, { n: 10 }, meta()), 'k', 1).data, { n: 10 });
});

Registry('the trust rule: a record of the current fingerprint is read as stored; the full check re-checks it', () => {
  // The data was rewritten and its checksum fixed: only zod can tell.
  const raw = stored('Incremented', 2, { by: 1, note: 'x' });
  const head = raw.slice(0, raw.lastIndexOf(',')).replace('"by":1', '"by":1.5');
  const tampered = `${head},${checksum(head)}]`;
  assert.equal(registry.decode(tampered, 'k', 4).data, { by: 1.5, note: 'x' });
  assert.throws(() => registry.decode(tampered, '0000000000000004', 4, 'full'), /position 4.*Incremented@2 fails its schema: by/);
});

Registry('a schema changed in place (another fingerprint) checks its old records with zod', () => {
  const Before = createEventRegistry([defineEvent('Counted', z.object({ n: z.number() }))]);
  const After = createEventRegistry([defineEvent('Counted', z.object({ n: z.number().max(5) }))]);
  assert.is.not(Before.fingerprint('Counted', 1), After.fingerprint('Counted', 1));
  assert.equal(After.decode(stored('Counted', 1, { n: 3 }, meta(), Before), 'k', 1).data, { n: 3 });
  assert.throws(() => After.decode(stored('Counted', 1, { n: 7 }, meta(), Before), 'k', 1), /Counted@1 fails its schema: n:/);
});

Registry('a record whose checksum does not match is reported as damage', () => {
  const raw = stored('Incremented', 2, { by: 1, note: 'x' }).replace('"x"', '"y"');
  assert.throws(() => registry.decode(raw, '0000000000000005', 5), /position 5.*does not match its checksum/);
});

Registry('a schema JSON Schema cannot show (a transform) has no fingerprint: its records are always checked', () => {
  const Len = defineEvent('Len', z.object({ s: z.string().transform((s) => s.trim()) }));
  const r = createEventRegistry([Len]);
  assert.is(r.fingerprint('Len', 1), '');
  assert.equal(r.decode(stored('Len', 1, { s: ' a ' }, meta(), r), 'k', 1).data, { s: 'a' });
  assert.throws(() => r.decode(stored('Len', 1, { s: 1 }, meta(), r), 'k', 1), /Len@1 fails its schema: s:/);
});

Registry('a refinement is checked on records read in full', () => {
  const Even = defineEvent('Even', z.object({ n: z.number() }).refine((d) => d.n % 2 === 0, 'odd'));
  const r = createEventRegistry([Even]);
  assert.equal(r.decode(formatOneRecord('Even', 1, { n: 2 }, meta()), 'k', 1).data, { n: 2 });
  assert.throws(() => r.decode(formatOneRecord('Even', 1, { n: 3 }, meta()), 'k', 1), /Even@1 fails its schema: \(root\): odd/);
  assert.throws(() => r.decode(stored('Even', 1, { n: 3 }, meta(), r), 'k', 1, 'full'), /Even@1 fails its schema: \(root\): odd/);
});

Registry('versions must follow each other and type names must be unique', () => {
  const A = defineEvent('A', z.object({}));
  assert.throws(() => A.upgrade(3, z.object({}), () => ({})), /version 3 must follow 1/);
  assert.throws(() => createEventRegistry([A, A]), /registered twice/);
});

Registry.run();
