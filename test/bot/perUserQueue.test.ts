/**
 * The per-user queue: one user's updates run one after another in arrival order, other
 * users' run alongside, a waiting update does not keep its caller waiting, the backlog of one
 * user stays bounded (the rest is dropped and reported), and a failure neither blocks the
 * next update nor disappears.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPerUserQueue } from '../../src/bot/perUserQueue.ts';

const Queue = suite('per-user queue');

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** An item: a name, and what handling it does. */
type Item = { name: string; run?: () => Promise<void> };

function queueWithLog(opts: { maxPending?: number; maxParkedTotal?: number } = {}) {
  const log: string[] = [];
  const dropped: string[] = [];
  const failed: string[] = [];
  const queue = createPerUserQueue<Item>({
    handle: async (item) => {
      log.push(`${item.name} start`);
      await item.run?.();
      log.push(`${item.name} end`);
    },
    onDrop: (key, item) => void dropped.push(`${key}:${item.name}`),
    onDetachedError: (err, item) => void failed.push(`${item.name}: ${(err as Error).message}`),
    ...opts,
  });
  return { queue, log, dropped, failed };
}

Queue('one user’s items run in order, another user’s run meanwhile, and a parked item does not hold its caller', async () => {
  const { queue, log } = queueWithLog();
  const first = gate();
  const a1 = queue.push(1, { name: 'a1', run: () => first.opened });
  let a2Returned = false;
  const a2 = queue.push(1, { name: 'a2' }).then(() => void (a2Returned = true));
  await queue.push(2, { name: 'b1' });
  await a2;
  assert.ok(a2Returned, 'the caller of a parked item is free before the item runs');
  assert.equal(log, ['a1 start', 'b1 start', 'b1 end']);
  assert.is(queue.size(1), 2);
  first.open();
  await a1;
  await queue.idle();
  assert.equal(log, ['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end']);
  assert.is(queue.size(1), 0);
});

Queue('1,000 items from one user while the first runs: 20 are kept, 980 dropped and reported, other users go on', async () => {
  const { queue, log, dropped } = queueWithLog({ maxPending: 20 });
  const first = gate();
  const running = queue.push(1, { name: 'f0', run: () => first.opened });
  let largest = 0;
  for (let i = 1; i < 1000; i++) {
    await queue.push(1, { name: `f${i}` });
    largest = Math.max(largest, queue.size(1));
  }
  assert.is(largest, 20, 'the backlog never exceeds the bound');
  assert.is(queue.parked(), 19);
  assert.is(dropped.length, 980);
  assert.equal(dropped.slice(0, 2), ['1:f20', '1:f21']);
  await queue.push(2, { name: 'other' });
  assert.equal(log, ['f0 start', 'other start', 'other end'], 'the other user is answered before the flood is handled');
  first.open();
  await running;
  await queue.idle();
  assert.is(log.filter((l) => l.startsWith('f') && l.endsWith('end')).length, 20, 'the flooder got 20 handled');
  assert.is(queue.parked(), 0);
  await queue.push(1, { name: 'later' });
  assert.is(log.at(-1), 'later end', 'after the backlog drained the user is served again');
});

Queue('the parked items of all users together are bounded too', async () => {
  const { queue, dropped } = queueWithLog({ maxPending: 20, maxParkedTotal: 5 });
  const first = gate();
  for (const user of [1, 2, 3]) void queue.push(user, { name: `u${user}-0`, run: () => first.opened });
  for (const user of [1, 2, 3]) for (let i = 1; i <= 3; i++) await queue.push(user, { name: `u${user}-${i}` });
  assert.is(queue.parked(), 5);
  assert.equal(dropped, ['2:u2-3', '3:u3-1', '3:u3-2', '3:u3-3'], 'later arrivals are dropped');
  first.open();
  await queue.idle();
});

Queue('a failing first item reaches its caller; a failing parked one goes to onDetachedError; the next still runs', async () => {
  const { queue, log, failed } = queueWithLog();
  const first = gate();
  const failing = queue.push(7, {
    name: 'x1',
    run: async () => {
      await first.opened;
      throw new Error('boom');
    },
  });
  await queue.push(7, { name: 'x2', run: async () => Promise.reject(new Error('bang')) });
  await queue.push(7, { name: 'x3' });
  first.open();
  const err = await failing.then(() => null, (e: Error) => e);
  assert.is(err?.message, 'boom');
  await queue.idle();
  assert.equal(failed, ['x2: bang']);
  assert.is(log.at(-1), 'x3 end');
});

Queue('items without a user run at once, and an idle queue is idle at once', async () => {
  const { queue, log } = queueWithLog();
  await queue.idle();
  await queue.push(undefined, { name: 'anon' });
  assert.equal(log, ['anon start', 'anon end']);
});

Queue.run();
