/**
 * The per-user serial queue: one user's jobs run one after another in arrival order, other
 * users' run alongside, each job's caller gets that job's result, a failure neither blocks
 * the next job nor disappears, the bounds (per user and over all users) refuse what is
 * beyond them, and an idle user is forgotten. (Ported from the bot's `perUserQueue` and the
 * link service's `Mailbox` tests, which this module replaces.)
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SerialQueue } from '../../src/perUser/serialQueue.ts';

const Queue = suite('per-user serial queue');

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** A job that logs its start and end around `body`. */
function logged(log: string[], name: string, body?: () => Promise<void>) {
  return async () => {
    log.push(`${name} start`);
    await body?.();
    log.push(`${name} end`);
    return name;
  };
}

Queue('one user’s jobs run one at a time in order, another user’s run meanwhile', async () => {
  const lanes = new SerialQueue<number>();
  const log: string[] = [];
  const first = gate();
  const a1 = lanes.run(1, logged(log, 'a1', () => first.opened));
  const a2 = lanes.run(1, logged(log, 'a2'));
  assert.is(await lanes.run(2, logged(log, 'b1')), 'b1', 'the other user is not kept waiting');
  assert.equal(log, ['a1 start', 'b1 start', 'b1 end'], 'the second job of user 1 waits for the first');
  assert.is(lanes.size(1), 2);
  first.open();
  assert.equal(await Promise.all([a1, a2]), ['a1', 'a2'], 'each caller gets its own job’s result');
  assert.equal(log, ['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end']);
});

Queue('a failing job rejects its own caller only; the next job of the user still runs', async () => {
  const lanes = new SerialQueue<number>();
  const first = gate();
  const failing = lanes.run(7, async () => {
    await first.opened;
    throw new Error('boom');
  });
  const failingWaiter = lanes.run(7, () => Promise.reject(new Error('bang')));
  const next = lanes.run(7, async () => 42);
  first.open();
  const errors = await Promise.all([failing, failingWaiter].map((p) => p.then(() => null, (e: Error) => e.message)));
  assert.equal(errors, ['boom', 'bang']);
  assert.is(await next, 42);
});

Queue('a job that throws before returning a promise is a rejection, not a stalled user', async () => {
  const lanes = new SerialQueue<number>();
  const thrown = lanes.run(3, (() => {
    throw new Error('sync');
  }) as () => Promise<void>);
  await thrown.then(() => assert.unreachable('should have rejected'), (e: Error) => assert.is(e.message, 'sync'));
  assert.is(await lanes.run(3, async () => 'after'), 'after');
});

Queue('1,000 jobs offered by one user while the first runs: 20 are taken, 980 refused, other users go on', async () => {
  const lanes = new SerialQueue<number>({ maxPending: 20 });
  const log: string[] = [];
  const first = gate();
  const running = lanes.tryRun(1, logged(log, 'f0', () => first.opened));
  let refused = 0;
  let largest = 0;
  const taken: Array<Promise<string>> = [];
  for (let i = 1; i < 1000; i++) {
    const job = lanes.tryRun(1, logged(log, `f${i}`));
    if (job === undefined) refused += 1;
    else taken.push(job);
    largest = Math.max(largest, lanes.size(1));
  }
  assert.is(largest, 20, 'the backlog never exceeds the bound');
  assert.is(lanes.waiting, 19);
  assert.is(refused, 980);
  assert.is(await lanes.tryRun(2, logged(log, 'other')), 'other');
  assert.equal(log, ['f0 start', 'other start', 'other end'], 'the other user is served before the flood');
  first.open();
  await Promise.all([running, ...taken]);
  assert.is(log.filter((l) => l.startsWith('f') && l.endsWith('end')).length, 20, 'the flooder got 20 handled');
  assert.is(lanes.waiting, 0);
  assert.is(await lanes.tryRun(1, logged(log, 'later')), 'later', 'after the backlog drained the user is served again');
});

Queue('the waiting jobs of all users together are bounded too; run() itself never refuses', async () => {
  const lanes = new SerialQueue<number>({ maxPending: 20, maxWaitingTotal: 5 });
  const first = gate();
  const refused: string[] = [];
  for (const user of [1, 2, 3]) void lanes.tryRun(user, () => first.opened);
  for (const user of [1, 2, 3]) {
    for (let i = 1; i <= 3; i++) if (lanes.tryRun(user, async () => undefined) === undefined) refused.push(`${user}:${i}`);
  }
  assert.is(lanes.waiting, 5);
  assert.equal(refused, ['2:3', '3:1', '3:2', '3:3'], 'later arrivals are refused');
  void lanes.run(3, async () => undefined);
  assert.is(lanes.waiting, 6, 'run() queues beyond the bounds (the link service must not lose a command)');
  first.open();
  await lanes.whenIdle();
});

Queue('whenIdle waits for every job queued or running, an idle queue is idle at once, idle users are forgotten', async () => {
  const lanes = new SerialQueue<number>();
  await lanes.whenIdle();
  let done = 0;
  for (let i = 0; i < 10; i++) void lanes.run(i % 3, async () => void done++);
  assert.is(lanes.pending, 10);
  await lanes.whenIdle();
  assert.is(done, 10);
  assert.is(lanes.pending, 0);
  assert.equal([0, 1, 2].map((k) => lanes.size(k)), [0, 0, 0]);
});

Queue.run();
