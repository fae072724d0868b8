import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NO_STREAM, openEventStore, ProjectionError, type EventStore, type Projection, type RootDb } from '../../eventlog/index.ts';
import { counters, Incremented, memoryDb, registry, Reset, totals, type CounterEvent } from './fixtures/counterEvents.ts';
import { rejects } from '../helpers/rejects.ts';

const Projections = suite<{ db: RootDb; store: EventStore<CounterEvent> }>('inline projections, rebuild and verify');

Projections.before.each(async (ctx) => {
  ctx.db = memoryDb();
  ctx.store = await openEventStore({ db: ctx.db, registry, projections: [counters, totals] });
});
Projections.after.each(async ({ store, db }) => {
  await store.close();
  await db.close();
});

const inc = (by: number) => Incremented.of({ by, note: '' });

/** Every key and value of the db, as bytes, for byte-for-byte comparisons. */
async function dump(db: RootDb, prefix: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [k, v] of db.iterator({ gte: prefix, lt: `${prefix}\xff`, keyEncoding: 'buffer', valueEncoding: 'buffer' } as never) as AsyncIterable<[Buffer, Buffer]>) {
    out.push([k.toString('hex'), v.toString('hex')]);
  }
  return out;
}

async function someHistory(store: EventStore<CounterEvent>): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const stream = `c-${i % 7}`;
    const events = i % 5 === 4 ? [Reset.of({ reason: `r${i}` })] : [inc(i), inc(1)];
    await store.appendToStream(stream, events, { expectedVersion: 'any' });
  }
}

Projections('rows and checkpoints are written with the events that produced them', async ({ store, db }) => {
  await store.appendToStream('c-1', [inc(2), inc(3)], { expectedVersion: NO_STREAM });
  assert.equal(await store.table('counters').get('c-1'), { value: 5, events: 2, last: (await store.readStream('c-1'))[1]!.meta.eventId });
  assert.equal(await store.table('totals').get('all'), { n: 2 });
  const checkpoints = db.sublevel('checkpoints');
  assert.equal(JSON.parse((await checkpoints.get('counters'))!), { version: 1, position: 1 });
  assert.equal(JSON.parse((await checkpoints.get('totals'))!), { version: 1, position: 1 });
});

Projections('one append is one atomic batch: events, rows and checkpoints together', async ({ store, db }) => {
  const seen: unknown[][] = [];
  const batch = db.batch.bind(db) as (ops: unknown[], o?: unknown) => Promise<void>;
  (db as unknown as { batch: unknown }).batch = (ops: unknown[], o?: unknown) => {
    seen.push([ops.length, (o as { sync?: boolean }).sync]);
    return batch(ops, o);
  };
  await store.appendToStream('c-1', [inc(2)], { expectedVersion: NO_STREAM });
  // log + stream index + head + counters row + totals row and reset delete + 2 checkpoints, synced.
  assert.equal(seen, [[8, true]]);
});

Projections('a rebuild gives byte-identical tables and checkpoints', async ({ store, db }) => {
  await someHistory(store);
  const before = [await dump(db, '!proj!'), await dump(db, '!checkpoints!')];
  assert.ok(before[0]!.length > 5);
  const report = await store.rebuild();
  assert.equal(report.projections, ['counters', 'totals']);
  assert.is(report.events, store.headPosition() + 1);
  assert.equal([await dump(db, '!proj!'), await dump(db, '!checkpoints!')], before);
  assert.equal(await store.verify(), []);
});

Projections('a rebuild in tiny chunks (many flushes, evicted caches) gives the same bytes', async ({ store, db }) => {
  await someHistory(store);
  const before = await dump(db, '!proj!');
  const { replay } = await import('../../eventlog/replay.ts');
  const { keyspaces } = await import('../../eventlog/keys.ts');
  const ks = keyspaces(db);
  await store.runExclusive(async () => {
    for (const p of [counters, totals]) await ks.table(p.name).clear();
    const targets = [counters, totals].map((p) => ({ projection: p, table: ks.table(p.name), fresh: true, checkpoint: 'end' as const }));
    await replay({ db, ks, registry }, targets, 0, store.headPosition(), { readSize: 3, flushEvents: 4, flushRows: 2, rowCacheSize: 1 });
  });
  assert.equal(await dump(db, '!proj!'), before);
});

/** A projection that throws at one global position while `failAt` is set. */
function flaky(failAt: { position: number | null }): Projection<CounterEvent, number> {
  return {
    name: 'flaky',
    version: 1,
    evolve(e, t) {
      if (e.meta.globalPosition === failAt.position) throw new Error('boom');
      t.put(e.meta.stream, (t.get(e.meta.stream) ?? 0) + 1);
    },
  };
}

const checkpointOf = async (db: RootDb, name: string) => JSON.parse((await db.sublevel('checkpoints').get(name))!) as { version: number; position: number };

Projections('an interrupted rebuild leaves its checkpoint at -1, so the next open rebuilds it from scratch', async ({ store, db }) => {
  await store.close();
  const failAt = { position: null as number | null };
  const s1 = await openEventStore({ db, registry, projections: [counters, totals, flaky(failAt)] });
  await someHistory(s1);
  const before = await dump(db, '!proj!');
  failAt.position = 20;
  await rejects(s1.rebuild(['counters', 'flaky']), (e) => e instanceof ProjectionError);
  assert.equal(await checkpointOf(db, 'counters'), { version: 1, position: -1 });
  assert.equal(await checkpointOf(db, 'flaky'), { version: 1, position: -1 });
  assert.is((await checkpointOf(db, 'totals')).position, s1.headPosition(), 'a projection not rebuilt keeps its checkpoint');
  await s1.close();
  failAt.position = null;
  const s2 = await openEventStore({ db, registry, projections: [counters, totals, flaky(failAt)] });
  assert.equal(await dump(db, '!proj!'), before);
  assert.equal(await s2.verify(), []);
  await s2.close();
});

Projections('a rebuild writes rows unsynced without checkpoints, then one synced write with them', async ({ store, db }) => {
  await someHistory(store);
  const before = await dump(db, '!proj!');
  const { replay } = await import('../../eventlog/replay.ts');
  const { keyspaces } = await import('../../eventlog/keys.ts');
  const ks = keyspaces(db);
  const writes: { sync: boolean; checkpoints: number; rows: number }[] = [];
  const batch = db.batch.bind(db) as (ops: unknown[], o?: unknown) => Promise<void>;
  (db as unknown as { batch: unknown }).batch = (ops: { sublevel: { prefix: string } }[], o?: { sync?: boolean }) => {
    const checkpoints = ops.filter((op) => op.sublevel.prefix === '!checkpoints!').length;
    writes.push({ sync: o?.sync === true, checkpoints, rows: ops.length - checkpoints });
    return batch(ops, o);
  };
  await store.runExclusive(async () => {
    for (const p of [counters, totals]) await ks.table(p.name).clear();
    const targets = [counters, totals].map((p) => ({ projection: p, table: ks.table(p.name), fresh: true, checkpoint: 'end' as const }));
    await replay({ db, ks, registry }, targets, 0, store.headPosition(), { readSize: 5, flushRows: 3 });
  });
  assert.ok(writes.length > 3, 'several writes');
  assert.ok(writes.slice(0, -1).every((w) => !w.sync && w.checkpoints === 0 && w.rows > 0));
  assert.equal(writes.at(-1)!.sync, true);
  assert.equal(writes.at(-1)!.checkpoints, 2);
  assert.equal(await dump(db, '!proj!'), before);
});

Projections('an interrupted catch-up resumes from the rows and checkpoint it last wrote together', async ({ store, db }) => {
  await someHistory(store);
  const expected = await dump(db, '!proj!');
  const { replay } = await import('../../eventlog/replay.ts');
  const { keyspaces } = await import('../../eventlog/keys.ts');
  const ks = keyspaces(db);
  const failAt = { position: 30 as number | null };
  const p = flaky(failAt);
  await store.close();
  await rejects(
    replay({ db, ks, registry }, [{ projection: p, table: ks.table('flaky'), fresh: true, checkpoint: 'flush' }], 0, 40, { readSize: 4, flushEvents: 8 }),
    (e) => e instanceof ProjectionError,
  );
  const cp = await checkpointOf(db, 'flaky');
  assert.ok(cp.position >= 7 && cp.position < 30, `checkpoint ${cp.position} at a flush before the failure`);
  failAt.position = null;
  const s2 = await openEventStore({ db, registry, projections: [counters, totals, p] });
  assert.equal(await s2.verify(), []);
  assert.equal((await dump(db, '!proj!')).filter(([k]) => !k.startsWith(Buffer.from('!proj!!flaky!').toString('hex'))), expected);
  await s2.close();
});

Projections('verify reports a corrupted, a missing and an extra row by key', async ({ store, db }) => {
  await someHistory(store);
  const table = db.sublevel(['proj', 'counters']);
  await table.put('c-1', '{"value":999,"events":1,"last":"x"}');
  await table.del('c-2');
  await table.put('c-zzz', '{}');
  const diffs = await store.verify();
  assert.equal(diffs, [
    { projection: 'counters', key: 'c-1', kind: 'different' },
    { projection: 'counters', key: 'c-2', kind: 'missing' },
    { projection: 'counters', key: 'c-zzz', kind: 'extra' },
  ]);
  await store.rebuild(['counters']);
  assert.equal(await store.verify(), []);
  assert.equal(await db.sublevel(['scratch', 'counters']).keys().all(), [], 'verify leaves no scratch rows behind');
});

Projections('a projection added later is built from the whole log at open', async ({ store, db }) => {
  await someHistory(store);
  await store.close();
  const perStreamEvents: Projection<CounterEvent, number> = {
    name: 'stream_sizes',
    version: 1,
    evolve: (e, t) => t.put(e.meta.stream, e.meta.streamPosition + 1),
  };
  const reopened = await openEventStore({ db, registry, projections: [counters, totals, perStreamEvents] });
  assert.is(await reopened.table('stream_sizes').get('c-1'), (await reopened.readStream('c-1')).length);
  assert.equal(await reopened.verify(), []);
  await reopened.close();
});

Projections('a changed projection version is rebuilt at open; a table behind the log is caught up', async ({ store, db }) => {
  await someHistory(store);
  await store.close();
  const checkpoints = db.sublevel('checkpoints');
  // totals "crashed" three events behind (its rows reflect fewer events than the log holds).
  const head = JSON.parse((await checkpoints.get('totals'))!).position as number;
  const counted = JSON.parse((await db.sublevel(['proj', 'totals']).get('all'))!).n as number;
  await db.sublevel(['proj', 'totals']).put('all', JSON.stringify({ n: counted - 3 }));
  await checkpoints.put('totals', JSON.stringify({ version: 1, position: head - 3 }));
  await db.sublevel(['proj', 'counters']).put('c-1', '{"garbage":true}');
  const counters2 = { ...counters, version: 2 };
  const reopened = await openEventStore({ db, registry, projections: [counters2, totals] });
  assert.equal(await reopened.table('totals').get('all'), { n: counted });
  assert.equal(await reopened.verify(), []);
  assert.equal(JSON.parse((await checkpoints.get('counters'))!), { version: 2, position: head });
  await reopened.close();
});

Projections('rows are immutable: mutating a row instead of putting a new one fails loudly', async () => {
  const sloppy: Projection<CounterEvent, { n: number }> = {
    name: 'sloppy',
    version: 1,
    evolve(e, t) {
      const row = t.get('x');
      if (row) row.n++;
      else t.put('x', { n: 1 });
    },
  };
  const s2 = await openEventStore({ db: memoryDb(), registry, projections: [sloppy] });
  await s2.appendToStream('c-1', [inc(1)], { expectedVersion: NO_STREAM });
  const err = await rejects(s2.appendToStream('c-1', [inc(1)], { expectedVersion: 0 }), (e) => e instanceof ProjectionError);
  assert.instance((err as ProjectionError).cause, TypeError);
  assert.equal(await s2.table('sloppy').get('x'), { n: 1 });
  await s2.close();
  await s2.db.close();
});

Projections('tables can be read from outside, by key and by range', async ({ store }) => {
  await someHistory(store);
  const t = store.table<{ value: number }>('counters');
  const keys: string[] = [];
  for await (const [k] of t.entries({ gte: 'c-2', lt: 'c-5' })) keys.push(k);
  assert.equal(keys, ['c-2', 'c-3', 'c-4']);
  assert.is(await t.get('nope'), undefined);
  assert.throws(() => store.table('nope'), /unknown projection/);
});

Projections.run();
