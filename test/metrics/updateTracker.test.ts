import type { Update } from 'grammy/types';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { trackUpdates, updateType } from '../../src/metrics/updateTracker.ts';
import type { UpdateListener } from '../../src/bot/createBot.ts';

const Tracker = suite('updates in flight');

const message = (id: number): Update => ({ update_id: id, message: { message_id: id, date: 0, chat: { id: 1, type: 'private', first_name: 'A' }, text: 'hi' } }) as Update;
const inline = (id: number): Update => ({ update_id: id, inline_query: { id: String(id), from: { id: 1, is_bot: false, first_name: 'A' }, query: '', offset: '' } });

/**
 * A bot whose `handleUpdate` tells its listeners, like `createBot`'s, and settles each
 * update when the test opens its gate.
 */
function gatedBot() {
  const gates: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const listeners: UpdateListener[] = [];
  const bot = {
    onUpdate: (listener: UpdateListener) => void listeners.push(listener),
    handleUpdate(update: Update): Promise<void> {
      const handling = new Promise<void>((resolve, reject) => void gates.push({ resolve, reject }));
      for (const listener of listeners) listener(update, handling);
      return handling;
    },
  };
  return { bot, gates };
}

Tracker('idle() waits for every update still being handled, also those that start while waiting', async () => {
  const { bot, gates } = gatedBot();
  const tracker = trackUpdates(bot);
  void bot.handleUpdate(message(1));
  let idle = false;
  const waiting = tracker.idle().then(() => (idle = true));
  assert.is(tracker.inFlight(), 1);
  void bot.handleUpdate(message(2));
  gates[0]!.resolve();
  await new Promise((r) => setImmediate(r));
  assert.not.ok(idle, 'the second update is still running');
  gates[1]!.resolve();
  await waiting;
  assert.is(tracker.inFlight(), 0);
});

Tracker('each update is counted once by type and outcome, and a failing update still rejects for its caller', async () => {
  const { bot, gates } = gatedBot();
  const seen: string[] = [];
  const tracker = trackUpdates(bot, (type, outcome) => seen.push(`${type}:${outcome}`));
  const ok = bot.handleUpdate(message(1));
  const failing = bot.handleUpdate(inline(2));
  gates[0]!.resolve();
  gates[1]!.reject(new Error('handler failed'));
  await ok;
  await failing.then(
    () => assert.unreachable('the rejection reaches the runner or webhook route'),
    (err: Error) => assert.is(err.message, 'handler failed'),
  );
  await tracker.idle();
  assert.equal(seen.sort(), ['inline_query:error', 'message:ok']);
});

Tracker('a throwing metrics hook neither breaks handling nor leaks an unhandled rejection', async () => {
  const { bot, gates } = gatedBot();
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => void unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    const tracker = trackUpdates(bot, () => {
      throw new Error('hook broke');
    });
    const p = bot.handleUpdate(message(1));
    gates[0]!.resolve();
    await p;
    await tracker.idle();
    await new Promise((r) => setImmediate(r));
    assert.equal(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

Tracker('update types outside the known set are counted as other', () => {
  assert.is(updateType(message(1)), 'message');
  assert.is(updateType({ update_id: 3, poll: {} } as unknown as Update), 'other');
  assert.is(updateType({ update_id: 3 } as Update), 'other');
});

Tracker.run();
