/**
 * The contract every event log backend passes: the embedded LevelDB store and the
 * PostgreSQL one run these very tests (`leveldb.contract.test.ts`,
 * `postgres.contract.test.ts`). Each test states what a user of the store would notice.
 *
 * A backend supplies a {@link ContractBackend}: a store over a fresh, empty log, a second
 * store on the same log (another connection on PostgreSQL; on LevelDB, whose data dir one
 * process owns, the same store), and – where there are notifications to lose – a way to lose
 * them.
 */
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { NO_STREAM, ProjectionError, VersionConflictError, type AppendListener, type Envelope, type EventLog, type Projection } from '../../../eventlog/index.ts';
import { rejects } from '../../helpers/rejects.ts';
import { counters, Incremented, Reset, totals, type CounterEvent } from '../fixtures/counterEvents.ts';

type Store = EventLog<CounterEvent, any>;

/** What one test gets from the backend. */
export interface ContractHarness {
  store: Store;
  /** Another store on the same log (see the module comment). */
  openSecond(): Promise<Store>;
  /** Cuts every listening connection, so notifications sent meanwhile are lost (backends with `notifications`). */
  dropNotifications?(): Promise<void>;
  close(): Promise<void>;
}

/** A backend under test. */
export interface ContractBackend {
  name: string;
  /**
   * Whether subscribers depend on notifications that can be lost (PostgreSQL's LISTEN
   * connection); the harness then offers `dropNotifications`. The embedded store hands
   * appends to its subscribers in process and has nothing to lose.
   */
  notifications: boolean;
  open(projections: readonly Projection<CounterEvent, any>[]): Promise<ContractHarness>;
}

/** Refuses a `Reset` whose reason is `boom`: the append carrying it must leave no trace. */
const guarded: Projection<CounterEvent, { resets: number }> = {
  name: 'guarded',
  version: 1,
  evolve(e, table) {
    if (e.type !== 'Reset') return;
    if (e.data.reason === 'boom') throw new Error('this projection refuses boom');
    table.put(e.meta.stream, { resets: (table.get(e.meta.stream)?.resets ?? 0) + 1 });
  },
};

const PROJECTIONS = [counters, totals, guarded];
const inc = (by: number) => Incremented.of({ by, note: `+${by}` });

async function all(store: Store, from = 0): Promise<Envelope<CounterEvent>[]> {
  const out: Envelope<CounterEvent>[] = [];
  for await (const e of store.readAll(from)) out.push(e);
  return out;
}

async function rows(store: Store, name: string): Promise<[string, unknown][]> {
  const out: [string, unknown][] = [];
  for await (const entry of store.table(name).entries()) out.push(entry);
  return out;
}

/** A listener that records appends and resolves `until(n)` once `n` events have arrived. */
function collector(): { listener: AppendListener<CounterEvent>; appends: Envelope<CounterEvent>[][]; until(n: number, ms?: number): Promise<void> } {
  const appends: Envelope<CounterEvent>[][] = [];
  let count = 0;
  const waiters: { n: number; resolve(): void }[] = [];
  return {
    appends,
    listener(events) {
      appends.push([...events]);
      count += events.length;
      for (const w of waiters.filter((x) => count >= x.n)) w.resolve();
    },
    until(n, ms = 10_000) {
      if (count >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`subscriber saw ${count} of ${n} events within ${ms} ms`)), ms);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

/** Registers the contract's tests for `backend`; the caller runs the returned suite. */
export function eventStoreContract(backend: ContractBackend): Test<{ h: ContractHarness }> {
  const test = suite<{ h: ContractHarness }>(`event log contract: ${backend.name}`);
  test.before.each(async (ctx) => {
    ctx.h = await backend.open(PROJECTIONS);
  });
  test.after.each(async (ctx) => {
    await ctx.h.close();
  });

  test('of concurrent appends at the same expected version exactly one wins, the others get VersionConflictError', async ({ h }) => {
    const second = await h.openSecond();
    await h.store.appendToStream('c-1', [inc(1)], { expectedVersion: NO_STREAM });
    const attempts = Array.from({ length: 10 }, (_, i) => (i % 2 ? second : h.store).appendToStream('c-1', [inc(10 + i), inc(20 + i)], { expectedVersion: 0 }));
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.is(won.length, 1, 'exactly one append wins');
    for (const r of results) {
      if (r.status === 'rejected') {
        assert.instance(r.reason, VersionConflictError);
        assert.is(r.reason.code, 'VERSION_CONFLICT');
        assert.is(r.reason.expected, 0);
        assert.is(r.reason.actual, 2, 'the conflict names the version the winner left');
      }
    }
    const stream = await h.store.readStream('c-1');
    assert.equal(stream.map((e) => e.meta.streamPosition), [0, 1, 2], 'only the winner was written');
    assert.equal(stream.slice(1), (won[0] as PromiseFulfilledResult<{ events: Envelope<CounterEvent>[] }>).value.events);
    assert.is(await second.streamVersion('c-1'), 2);
    await rejects(h.store.appendToStream('c-1', [inc(1)], { expectedVersion: NO_STREAM }), (e) => e instanceof VersionConflictError);
  });

  test('global positions are contiguous and follow commit order under concurrent appends from two connections', async ({ h }) => {
    const second = await h.openSecond();
    const appends = Array.from({ length: 120 }, (_, i) =>
      (i % 2 ? second : h.store).appendToStream(`s-${i % 15}`, Array.from({ length: 1 + (i % 3) }, (_, j) => inc(i * 10 + j)), { expectedVersion: 'any' }),
    );
    const results = await Promise.all(appends);
    const log = await all(h.store);
    const total = results.reduce((n, r) => n + r.events.length, 0);
    assert.equal(log.map((e) => e.meta.globalPosition), [...Array(total).keys()], 'positions 0..n-1, no gap, no repeat');
    for (const r of results) {
      const first = r.events[0]!.meta.globalPosition;
      assert.equal(r.events.map((e) => e.meta.globalPosition), r.events.map((_, j) => first + j), 'an append is one run of positions');
      assert.equal(log.slice(first, first + r.events.length), r.events, 'the log holds what the append returned');
    }
    const byStream = new Map<string, number[]>();
    for (const e of log) byStream.set(e.meta.stream, [...(byStream.get(e.meta.stream) ?? []), e.meta.streamPosition]);
    for (const [stream, positions] of byStream) assert.equal(positions, [...positions.keys()], `${stream}: stream positions contiguous in global order`);
  });

  test('readAll from a position yields exactly the events from there on, in order', async ({ h }) => {
    await h.store.appendToStream('a', [inc(1)], { expectedVersion: NO_STREAM });
    await h.store.appendToStream('b', [inc(2), inc(3)], { expectedVersion: NO_STREAM });
    await h.store.appendToStream('a', [inc(4)], { expectedVersion: 0 });
    const from1 = await all(h.store, 1);
    assert.equal(from1.map((e) => [e.meta.globalPosition, e.meta.stream, e.type === 'Incremented' ? e.data.by : null]), [[1, 'b', 2], [2, 'b', 3], [3, 'a', 4]]);
    assert.equal(await all(h.store, 4), []);
    const second = await h.openSecond();
    assert.equal(await all(second, 2), from1.slice(1), 'another connection reads the same log');
  });

  test('a subscriber on a second connection hears every append once, whole and in global order', async ({ h }) => {
    const second = await h.openSecond();
    const heard = collector();
    const stop = second.subscribe(heard.listener, { from: 0 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => h.store.appendToStream(`u-${i % 4}`, [inc(i), inc(i + 100)], { expectedVersion: 'any' })));
    await heard.until(60);
    stop();
    const positions = heard.appends.flat().map((e) => e.meta.globalPosition);
    assert.equal(positions, [...Array(60).keys()]);
    const appended = new Set(results.map((r) => r.events.map((e) => e.meta.eventId).join()));
    for (const a of heard.appends) assert.ok(appended.has(a.map((e) => e.meta.eventId).join()), 'each delivery is exactly one append');
  });

  test('a subscriber starting from a position first catches up on the history, then hears live appends', async ({ h }) => {
    for (let i = 0; i < 5; i++) await h.store.appendToStream('h', [inc(i)], { expectedVersion: i - 1 });
    const second = await h.openSecond();
    const heard = collector();
    const stop = second.subscribe(heard.listener, { from: 2 });
    await h.store.appendToStream('h', [inc(5), inc(6)], { expectedVersion: 4 });
    await heard.until(5);
    stop();
    assert.equal(heard.appends.flat().map((e) => e.meta.globalPosition), [2, 3, 4, 5, 6]);
    assert.equal(heard.appends.at(-1)!.map((e) => e.meta.streamPosition), [5, 6], 'the live append arrives whole');
  });

  test('a subscriber without a position hears the appends made after it subscribed, not the history', async ({ h }) => {
    await h.store.appendToStream('w', [inc(1), inc(2), inc(3)], { expectedVersion: NO_STREAM });
    const heard = collector();
    const stop = h.store.subscribe(heard.listener);
    await h.store.appendToStream('w', [inc(4)], { expectedVersion: 2 });
    await h.store.appendToStream('w', [inc(5)], { expectedVersion: 3 });
    await heard.until(2);
    stop();
    assert.equal(heard.appends.map((a) => a.map((e) => e.meta.streamPosition)), [[3], [4]]);
  });

  if (backend.notifications) {
    test('a subscriber whose notifications were lost catches up by position and misses nothing', async ({ h }) => {
      const second = await h.openSecond();
      const heard = collector();
      const stop = second.subscribe(heard.listener, { from: 0 });
      await h.store.appendToStream('n', [inc(1)], { expectedVersion: NO_STREAM });
      await heard.until(1);
      await h.dropNotifications!();
      for (let i = 1; i <= 5; i++) await h.store.appendToStream('n', [inc(i + 1)], { expectedVersion: i - 1 });
      await heard.until(6);
      await h.store.appendToStream('n', [inc(7)], { expectedVersion: 5 });
      await heard.until(7);
      stop();
      assert.equal(heard.appends.flat().map((e) => e.meta.streamPosition), [0, 1, 2, 3, 4, 5, 6], 'each event once, in order');
    });
  }

  test('inline projections are written with the events: readers see rows as soon as the append resolves', async ({ h }) => {
    const second = await h.openSecond();
    await h.store.appendToStream('p', [inc(2), inc(3)], { expectedVersion: NO_STREAM });
    await second.appendToStream('p', [Reset.of({ reason: 'r' })], { expectedVersion: 1 });
    await h.store.appendToStream('p', [inc(7)], { expectedVersion: 2 });
    const row = (await h.store.table<{ value: number; events: number }>('counters').get('p'))!;
    assert.equal([row.value, row.events], [7, 4], 'rows include the other connection’s append');
    assert.equal(await second.table('totals').get('all'), { n: 4 });
    assert.equal(await second.table('guarded').get('p'), { resets: 1 });
  });

  test('an append whose projection fails leaves no event, no row and no version behind; other appends go on', async ({ h }) => {
    await h.store.appendToStream('q', [inc(1)], { expectedVersion: NO_STREAM });
    const [bad, good] = await Promise.allSettled([
      h.store.appendToStream('q', [inc(5), Reset.of({ reason: 'boom' })], { expectedVersion: 0 }),
      h.store.appendToStream('r', [inc(9)], { expectedVersion: NO_STREAM }),
    ]);
    assert.is(bad.status, 'rejected');
    const err = (bad as PromiseRejectedResult).reason;
    assert.instance(err, ProjectionError);
    assert.is(err.code, 'PROJECTION_FAILED');
    assert.is(err.projection, 'guarded');
    assert.is(good.status, 'fulfilled', 'another user’s append in the same batch is unaffected');
    assert.is(await h.store.streamVersion('q'), 0);
    assert.equal((await all(h.store)).map((e) => e.meta.stream), ['q', 'r'], 'the log has no trace of it');
    assert.equal(((await h.store.table<{ value: number }>('counters').get('q')) ?? { value: -1 }).value, 1, 'the projection rows of the failed append were dropped');
    assert.equal(await h.store.table('totals').get('all'), { n: 2 });
    const retry = await h.store.appendToStream('q', [inc(5)], { expectedVersion: 0 });
    assert.is(retry.events[0]!.meta.globalPosition, 2, 'the next append takes the position the failed one did not use');
  });

  test('rebuild gives the same tables as the live ones, and verify finds nothing before or after', async ({ h }) => {
    const second = await h.openSecond();
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? second : h.store).appendToStream(`v-${i % 6}`, i % 7 === 3 ? [Reset.of({ reason: `r${i}` })] : [inc(i)], { expectedVersion: 'any' })));
    const live = await Promise.all(PROJECTIONS.map((p) => rows(h.store, p.name)));
    assert.ok(live[0]!.length === 6 && live[2]!.length > 0, 'the tables hold rows');
    assert.equal(await h.store.verify(), []);
    const report = await h.store.rebuild();
    assert.equal(report.projections, PROJECTIONS.map((p) => p.name));
    assert.is(report.events, 40);
    assert.equal(await Promise.all(PROJECTIONS.map((p) => rows(h.store, p.name))), live, 'rebuilt rows equal the live ones');
    assert.equal(await second.verify(), []);
    await h.store.appendToStream('v-0', [inc(1)], { expectedVersion: 'any' });
    assert.equal(await h.store.verify(['counters']), [], 'appends after a rebuild keep the tables true');
  });

  return test;
}
