import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import {
  createEventRegistry,
  defineEvent,
  EventDecodeError,
  EventValidationError,
  NO_STREAM,
  openEventStore,
  StoreClosedError,
  VersionConflictError,
  type Envelope,
  type EventStore,
} from '../../eventlog/index.ts';
import { checksum, encodeRecord } from '../../eventlog/recordFormat.ts';
import { rejects } from '../helpers/rejects.ts';
import { amount, counters, fakeClock, formatOneRecord, Incremented, memoryDb, registry, Reset, totals, type CounterEvent } from './fixtures/counterEvents.ts';

const Store = suite<{ store: EventStore<CounterEvent> }>('event store: append, read, subscribe');

Store.before.each(async (ctx) => {
  ctx.store = await openEventStore({ db: memoryDb(), registry, projections: [counters, totals], now: fakeClock(Date.UTC(2026, 0, 1)) });
});
Store.after.each(async (ctx) => {
  await ctx.store.close();
  await ctx.store.db.close();
});

const inc = (by: number) => Incremented.of({ by, note: `+${by}` });

Store('appended events come back in order with a full envelope', async ({ store }) => {
  const result = await store.appendToStream('c-1', [inc(1), Reset.of({ reason: 'r' })], { expectedVersion: NO_STREAM });
  assert.is(result.nextExpectedVersion, 1);
  assert.is(result.lastGlobalPosition, 1);
  const events = await store.readStream('c-1');
  assert.equal(events, result.events);
  const [a, b] = events as [Envelope<CounterEvent>, Envelope<CounterEvent>];
  assert.is(a.type, 'Incremented');
  assert.is(a.v, 2);
  assert.equal(a.data, { by: 1, note: '+1' });
  assert.equal([a.meta.stream, a.meta.streamPosition, a.meta.globalPosition], ['c-1', 0, 0]);
  assert.equal([b.meta.streamPosition, b.meta.globalPosition], [1, 1]);
  assert.is(a.meta.time, '2026-01-01T00:00:01.000Z', 'time comes from the injected clock');
  assert.is(a.meta.correlationId, b.meta.correlationId, 'one append shares a correlation id');
  assert.is.not(a.meta.eventId, b.meta.eventId);
});

Store('a caller-supplied correlation id is kept on every event', async ({ store }) => {
  const r = await store.appendToStream('c-1', [inc(1), inc(2)], { expectedVersion: 'any', correlationId: 'cmd-77' });
  assert.equal(r.events.map((e) => e.meta.correlationId), ['cmd-77', 'cmd-77']);
});

Store('readStream honours from and to and knows nothing of other streams', async ({ store }) => {
  await store.appendToStream('c-1', [inc(1), inc(2), inc(3), inc(4)], { expectedVersion: NO_STREAM });
  await store.appendToStream('c-10', [inc(9)], { expectedVersion: NO_STREAM });
  await store.appendToStream('c-1.x', [inc(8)], { expectedVersion: NO_STREAM });
  const slice = await store.readStream('c-1', { from: 1, to: 2 });
  assert.equal(slice.map((e) => amount(e)), [2, 3]);
  assert.equal((await store.readStream('c-1')).map((e) => amount(e)), [1, 2, 3, 4]);
  assert.equal(await store.readStream('c-2'), []);
});

Store('readAll yields every stream in global order from a position', async ({ store }) => {
  await store.appendToStream('a', [inc(1)], { expectedVersion: NO_STREAM });
  await store.appendToStream('b', [inc(2), inc(3)], { expectedVersion: NO_STREAM });
  await store.appendToStream('a', [inc(4)], { expectedVersion: 0 });
  const all: Envelope<CounterEvent>[] = [];
  for await (const e of store.readAll(1)) all.push(e);
  assert.equal(all.map((e) => [e.meta.globalPosition, e.meta.stream, amount(e)]), [[1, 'b', 2], [2, 'b', 3], [3, 'a', 4]]);
  assert.is(store.headPosition(), 3);
  assert.is(await store.streamVersion('a'), 1);
  assert.is(await store.streamVersion('nobody'), NO_STREAM);
});

Store('subscribers hear each append once it is written, in global order', async ({ store }) => {
  const heard: number[][] = [];
  const stop = store.subscribe((events) => {
    heard.push(events.map((e) => e.meta.globalPosition));
  });
  store.subscribe(() => {
    throw new Error('a broken listener must not break appends');
  });
  store.subscribe(async () => {
    throw new Error('nor an async one');
  });
  await Promise.all([
    store.appendToStream('a', [inc(1), inc(2)], { expectedVersion: NO_STREAM }),
    store.appendToStream('b', [inc(3)], { expectedVersion: NO_STREAM }),
  ]);
  assert.equal(heard, [[0, 1], [2]]);
  stop();
  await store.appendToStream('a', [inc(1)], { expectedVersion: 1 });
  assert.is(heard.length, 2, 'unsubscribed listener hears nothing more');
});

Store('a stale expected version is a VersionConflictError naming stream, expected and actual', async ({ store }) => {
  await store.appendToStream('c-1', [inc(1)], { expectedVersion: NO_STREAM });
  for (const expected of [NO_STREAM, 5]) {
    try {
      await store.appendToStream('c-1', [inc(2)], { expectedVersion: expected });
      assert.unreachable();
    } catch (err) {
      assert.instance(err, VersionConflictError);
      const e = err as VersionConflictError;
      assert.equal([e.code, e.stream, e.expected, e.actual], ['VERSION_CONFLICT', 'c-1', expected, 0]);
    }
  }
  const r = await store.appendToStream('c-1', [inc(3)], { expectedVersion: 'any' });
  assert.is(r.nextExpectedVersion, 1);
  assert.equal((await store.readStream('c-1')).map((e) => amount(e)), [1, 3]);
});

Store('an invalid event is refused and nothing of its append is written', async ({ store }) => {
  const bad = { type: 'Incremented', data: { by: 'x', note: '' } } as unknown as CounterEvent;
  try {
    await store.appendToStream('c-1', [inc(1), bad], { expectedVersion: NO_STREAM });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, EventValidationError);
  }
  assert.equal(await store.readStream('c-1'), []);
  assert.is(store.headPosition(), -1);
  await rejects(store.appendToStream('bad/name', [inc(1)], { expectedVersion: 'any' }), /stream name/);
});

Store('an undecodable record stops readAll and readStream with its key (never skipped)', async ({ store }) => {
  await store.appendToStream('c-1', [inc(1)], { expectedVersion: NO_STREAM });
  // Simulate data written by a newer release: a type this code does not know.
  const meta = { eventId: 'x', stream: 'c-1', streamPosition: 1, globalPosition: 1, time: 't', correlationId: 'c' };
  await store.db.sublevel('log').put('0000000000000001', encodeRecord('FromTheFuture', 1, {}, meta, ''));
  await store.db.sublevel('streams').put('c-1/0000000000000001', '0000000000000001');
  const seen: number[] = [];
  try {
    for await (const e of store.readAll()) seen.push(e.meta.globalPosition);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, EventDecodeError);
    assert.match((err as Error).message, /0000000000000001.*position 1.*FromTheFuture/);
  }
  assert.equal(seen, [0]);
  await rejects(store.readStream('c-1'), /FromTheFuture/);
});

Store('malformed extra ops are refused before they can sink anyone else\'s batch', async ({ store }) => {
  const other = memoryDb();
  const foreign = other.sublevel('x');
  await rejects(
    store.appendToStream('c-1', [inc(1)], { expectedVersion: 'any', extraOps: [{ type: 'put', sublevel: foreign as never, key: 'k', value: 'v' }] }),
    /extraOps must be/,
  );
  await rejects(
    store.appendToStream('c-1', [inc(1)], { expectedVersion: 'any', extraOps: [{ type: 'put', sublevel: store.db.sublevel('x') as never, key: 'k' } as never] }),
    /extraOps must be/,
  );
  assert.is(store.headPosition(), -1);
  await other.close();
});

Store('a closed store refuses appends with StoreClosedError', async ({ store }) => {
  await store.close();
  await rejects(store.appendToStream('c-1', [inc(1)], { expectedVersion: 'any' }), (e: unknown) => e instanceof StoreClosedError);
});

Store('a data dir written before fingerprints (format 1 records) is read, rebuilt and appended to', async () => {
  const db = memoryDb();
  const at = (p: number) => ({ eventId: `e-${p}`, stream: 'c-1', streamPosition: p, globalPosition: p, time: '2025-01-01T00:00:00.000Z', correlationId: 'c' });
  const old = [formatOneRecord('Incremented', 1, { by: 2 }, at(0)), formatOneRecord('Incremented', 2, { by: 3, note: 'n' }, at(1))];
  await db.batch([
    ...old.map((value, p) => ({ type: 'put' as const, key: `!log!000000000000000${p}`, value })),
    ...old.map((_, p) => ({ type: 'put' as const, key: `!streams!c-1/000000000000000${p}`, value: `000000000000000${p}` })),
    { type: 'put', key: '!heads!c-1', value: '1' },
  ]);
  const store = await openEventStore({ db, registry, projections: [counters] });
  assert.equal((await store.readStream('c-1')).map((e) => [e.v, e.data]), [[2, { by: 2, note: '' }], [2, { by: 3, note: 'n' }]]);
  assert.is((await store.table<{ value: number }>('counters').get('c-1'))?.value, 5, 'built from the old records at open');
  await store.appendToStream('c-1', [inc(4)], { expectedVersion: 1 });
  const all: number[] = [];
  for await (const e of store.readAll()) all.push(amount(e)!);
  assert.equal(all, [2, 3, 4]);
  await store.rebuild();
  assert.equal(await store.verify(), []);
  await store.close();
  await db.close();
});

Store('a record rewritten on purpose (checksum fixed) is caught by verify, which checks every record with zod', async ({ store }) => {
  await store.appendToStream('c-1', [inc(1), inc(2)], { expectedVersion: NO_STREAM });
  const log = store.db.sublevel('log');
  const raw = (await log.get('0000000000000001'))!;
  const head = raw.slice(0, raw.lastIndexOf(',')).replace('"by":2', '"by":"two"');
  await log.put('0000000000000001', `${head},${checksum(head)}]`);
  await rejects(store.verify(), (e: unknown) => e instanceof EventDecodeError && /position 1.*Incremented@2 fails its schema: by/.test((e as Error).message));
  // Rewritten without fixing the checksum, every read stops at it.
  await log.put('0000000000000001', raw.replace('"by":2', '"by":7'));
  await rejects(store.readStream('c-1'), /position 1.*does not match its checksum/);
  await rejects(store.rebuild(), /position 1.*does not match its checksum/);
});

Store('an event whose data does not survive JSON is refused on append', async () => {
  const At = defineEvent('At', z.object({ when: z.date() }));
  const s = await openEventStore({ db: memoryDb(), registry: createEventRegistry([At]) });
  await rejects(s.appendToStream('a-1', [At.of({ when: new Date(0) })], { expectedVersion: NO_STREAM }), (e: unknown) => e instanceof EventValidationError && /JSON round trip/.test((e as Error).message));
  assert.is(s.headPosition(), -1);
  await s.close();
  await s.db.close();
});

Store.run();
