import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Mailbox } from '../../src/link/mailbox.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

const Box = suite('mailbox');

Box('jobs for one user run one at a time, in order', async () => {
  const box = new Mailbox<number>();
  const order: string[] = [];
  const gate = deferred();
  const a = box.run(1, async () => {
    order.push('a:start');
    await gate.promise;
    order.push('a:end');
  });
  const b = box.run(1, async () => {
    order.push('b');
  });
  await Promise.resolve();
  assert.equal(order, ['a:start'], 'the second job waits for the first');
  gate.resolve();
  await Promise.all([a, b]);
  assert.equal(order, ['a:start', 'a:end', 'b']);
});

Box('different users do not wait for each other', async () => {
  const box = new Mailbox<number>();
  const gate = deferred();
  const slow = box.run(1, () => gate.promise);
  const fast = await box.run(2, async () => 'done');
  assert.is(fast, 'done');
  gate.resolve();
  await slow;
});

Box('a failing job rejects its caller and the next job still runs', async () => {
  const box = new Mailbox<number>();
  const failed = box.run(1, async () => {
    throw new Error('boom');
  });
  const next = box.run(1, async () => 42);
  await failed.then(
    () => assert.unreachable('should have rejected'),
    (err: Error) => assert.is(err.message, 'boom'),
  );
  assert.is(await next, 42);
});

Box('whenIdle waits for every queued job and idle keys are forgotten', async () => {
  const box = new Mailbox<number>();
  let done = 0;
  for (let i = 0; i < 10; i++) void box.run(i % 3, async () => void done++);
  assert.is(box.pending, 10);
  await box.whenIdle();
  assert.is(done, 10);
  assert.is(box.pending, 0);
  assert.is((box as unknown as { tails: Map<number, unknown> }).tails.size, 0);
});

Box.run();
