import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NO_STREAM, openEventStore, ProjectionError, VersionConflictError, type EventStore, type Projection } from '../../eventlog/index.ts';
import { amount, counters, Incremented, memoryDb, registry, type CounterEvent } from './fixtures/counterEvents.ts';
import { rejects } from '../helpers/rejects.ts';

const Group = suite<{ store: EventStore<CounterEvent>; batches: number[] }>('group commit and concurrency');

/** Fails on one poisoned stream, to prove that one bad append does not sink its batch. */
const picky: Projection<CounterEvent, number> = {
  name: 'picky',
  version: 1,
  evolve(e, table) {
    if (e.meta.stream === 'poison') throw new Error('cannot fold this');
    table.put(e.meta.stream, e.meta.streamPosition);
  },
};

Group.before.each(async (ctx) => {
  const db = memoryDb();
  await db.open();
  ctx.batches = [];
  // Count the batches that reach the db (and their sizes), without changing them.
  const batch = db.batch.bind(db) as (ops: unknown[], o?: unknown) => Promise<void>;
  (db as unknown as { batch: unknown }).batch = (ops: unknown[], o?: unknown) => {
    ctx.batches.push(ops.length);
    return batch(ops, o);
  };
  ctx.store = await openEventStore({ db, registry, projections: [counters, picky] });
  ctx.batches.length = 0;
});
Group.after.each(async ({ store }) => {
  await store.close();
  await store.db.close();
});

const inc = (by: number) => Incremented.of({ by, note: '' });

Group('two concurrent appends with the same expected version: one wins, one conflicts, nothing half-written', async ({ store }) => {
  await store.appendToStream('c-1', [inc(1)], { expectedVersion: NO_STREAM });
  const extra = store.db.sublevel('extra');
  const results = await Promise.allSettled([
    store.appendToStream('c-1', [inc(10), inc(11)], { expectedVersion: 0, extraOps: [{ type: 'put', sublevel: extra as never, key: 'a', value: 'A' }] }),
    store.appendToStream('c-1', [inc(20), inc(21)], { expectedVersion: 0, extraOps: [{ type: 'put', sublevel: extra as never, key: 'b', value: 'B' }] }),
  ]);
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.is(won.length, 1);
  assert.is(lost.length, 1);
  assert.instance(lost[0]!.reason, VersionConflictError);
  const winner = results[0]!.status === 'fulfilled' ? 10 : 20;
  const stream = await store.readStream('c-1');
  assert.equal(stream.map((e) => amount(e)), [1, winner, winner + 1]);
  assert.equal(stream.map((e) => e.meta.streamPosition), [0, 1, 2]);
  assert.equal(await store.table('counters').get('c-1'), { value: 1 + winner + winner + 1, events: 3, last: stream[2]!.meta.eventId });
  assert.equal(await extra.keys().all(), [winner === 10 ? 'a' : 'b'], "the loser's extra ops were not written");
});

Group('a thousand users appending at once share a handful of synced writes, with gap-free positions', async ({ store, batches }) => {
  const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
  const results = await Promise.all(users.map((u, i) => store.appendToStream(u, [inc(i)], { expectedVersion: NO_STREAM })));
  assert.ok(batches.length <= 3, `expected group commit, got ${batches.length} batches`);
  const positions = results.map((r) => r.lastGlobalPosition).sort((a, b) => a - b);
  assert.equal(positions, Array.from({ length: 1000 }, (_, i) => i));
  let expected = 0;
  for await (const e of store.readAll()) assert.is(e.meta.globalPosition, expected++);
  assert.is(expected, 1000);
});

Group('an append whose projection throws is refused alone; the rest of its batch is written', async ({ store, batches }) => {
  const results = await Promise.allSettled([
    store.appendToStream('ok-1', [inc(1)], { expectedVersion: NO_STREAM }),
    store.appendToStream('poison', [inc(2)], { expectedVersion: NO_STREAM }),
    store.appendToStream('ok-2', [inc(3)], { expectedVersion: NO_STREAM }),
  ]);
  assert.equal(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  const reason = (results[1] as PromiseRejectedResult).reason as ProjectionError;
  assert.instance(reason, ProjectionError);
  assert.equal([reason.code, reason.projection], ['PROJECTION_FAILED', 'picky']);
  assert.is(batches.length, 1);
  assert.equal(await store.readStream('poison'), []);
  assert.is(await store.table('counters').get('poison'), undefined, 'no row of the refused append');
  assert.equal((await store.readStream('ok-2')).map((e) => e.meta.globalPosition), [1]);
});

Group('appends to one stream in one batch see each other (expected versions chain)', async ({ store, batches }) => {
  const results = await Promise.all([
    store.appendToStream('c-1', [inc(1)], { expectedVersion: NO_STREAM }),
    store.appendToStream('c-1', [inc(2)], { expectedVersion: 0 }),
    store.appendToStream('c-1', [inc(3)], { expectedVersion: 'any' }),
  ]);
  assert.equal(results.map((r) => r.nextExpectedVersion), [0, 1, 2]);
  assert.is(batches.length, 1);
  assert.equal((await store.table<{ value: number }>('counters').get('c-1'))?.value, 6);
});

Group('a failed write rejects its appends and leaves no trace; the next write works', async ({ store }) => {
  const db = store.db as unknown as { batch: (...a: unknown[]) => Promise<void> };
  const real = db.batch;
  db.batch = async () => {
    throw Object.assign(new Error('disk full'), { code: 'LEVEL_IO_ERROR' });
  };
  await Promise.allSettled([store.appendToStream('c-1', [inc(1)], { expectedVersion: NO_STREAM })]).then(([r]) => {
    assert.is(r!.status, 'rejected');
  });
  db.batch = real;
  assert.is(store.headPosition(), -1);
  const r = await store.appendToStream('c-1', [inc(5)], { expectedVersion: NO_STREAM });
  assert.is(r.lastGlobalPosition, 0, 'positions of the failed batch are reused');
  assert.equal(await store.verify(), []);
});

Group('appends issued while an exclusive task runs wait for it; a failing task does not stop the writer', async ({ store }) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const order: string[] = [];
  const exclusive = store.runExclusive(async () => {
    order.push('exclusive start');
    await gate;
    order.push('exclusive end');
  });
  const append = store.appendToStream('c-1', [inc(1)], { expectedVersion: NO_STREAM }).then(() => order.push('append'));
  setImmediate(release);
  await Promise.all([exclusive, append]);
  assert.equal(order, ['exclusive start', 'exclusive end', 'append']);
  await rejects(
    store.runExclusive(() => {
      throw new Error('maintenance failed');
    }),
    /maintenance failed/,
  );
  const r = await store.appendToStream('c-1', [inc(2)], { expectedVersion: 0 });
  assert.is(r.nextExpectedVersion, 1);
});

Group.run();
