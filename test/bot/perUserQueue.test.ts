/**
 * The per-user queue: one user's updates run one after another in arrival order, other
 * users' run alongside, a failure neither blocks the next update nor disappears.
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

Queue('one user’s tasks run in order, another user’s run meanwhile', async () => {
  const queue = createPerUserQueue();
  const log: string[] = [];
  const first = gate();
  const a1 = queue(1, async () => {
    log.push('a1 start');
    await first.opened;
    log.push('a1 end');
  });
  const a2 = queue(1, async () => void log.push('a2'));
  const b1 = queue(2, async () => void log.push('b1'));
  await b1;
  assert.equal(log, ['a1 start', 'b1']);
  first.open();
  await Promise.all([a1, a2]);
  assert.equal(log, ['a1 start', 'b1', 'a1 end', 'a2']);
});

Queue('a failed task reaches its caller and the next task still runs', async () => {
  const queue = createPerUserQueue();
  const failing = queue(7, async () => {
    throw new Error('boom');
  });
  let ran = false;
  const next = queue(7, async () => void (ran = true));
  const err = await failing.then(() => null, (e: Error) => e);
  assert.is(err?.message, 'boom');
  await next;
  assert.ok(ran);
});

Queue('updates without a user run at once', async () => {
  const queue = createPerUserQueue();
  let ran = false;
  await queue(undefined, async () => void (ran = true));
  assert.ok(ran);
});

Queue.run();
