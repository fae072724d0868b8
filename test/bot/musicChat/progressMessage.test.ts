/**
 * The progress message against the fake Bot API with a hand-moved clock: edits are at
 * least the interval apart, the latest text wins, and a final state replaces what was
 * pending.
 */
import { Api } from 'grammy';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ProgressMessage, type ProgressClock } from '../../../src/bot/musicChat/progressMessage.ts';
import { FakeBotApi } from '../../helpers/fakeBotApi.ts';

/** A clock whose timers fire only when the test advances it. */
class ManualClock implements ProgressClock {
  t = 0;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.#next;
    this.#timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.#timers.delete(h as number);
  advance(ms: number): void {
    this.t += ms;
    for (const [id, timer] of [...this.#timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.t) continue;
      this.#timers.delete(id);
      timer.fn();
    }
  }
}

const P = suite('ProgressMessage');
let fake: FakeBotApi;
let api: Api;
P.before.each(async () => {
  fake = await FakeBotApi.start();
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
});
P.after.each(async () => {
  fake.assertNoViolations();
  await fake.close();
});

const edits = () => fake.callsOf('editMessageText').map((c) => c.params.text as string);

P('updates within the interval are coalesced into one edit with the latest text, no sooner than 2 s after the last', async () => {
  const alice = fake.createUser();
  const clock = new ManualClock();
  const p = (await ProgressMessage.send(api, alice.id, '🔎', undefined, { clock }))!;
  clock.advance(500);
  p.update('⬇️');
  p.update('⬇️ Song');
  clock.advance(1000);
  await p.settled();
  assert.equal(edits(), [], 'not yet: only 1.5 s since the message was sent');
  clock.advance(500);
  await p.settled();
  assert.equal(edits(), ['⬇️ Song']);
  p.update('📤');
  clock.advance(1999);
  await p.settled();
  assert.equal(edits(), ['⬇️ Song']);
  clock.advance(1);
  await p.settled();
  assert.equal(edits(), ['⬇️ Song', '📤']);
});

P('an update after a quiet period is shown at once', async () => {
  const alice = fake.createUser();
  const clock = new ManualClock();
  const p = (await ProgressMessage.send(api, alice.id, '🔎', undefined, { clock }))!;
  clock.advance(10_000);
  p.update('⬇️');
  clock.advance(0);
  await p.settled();
  assert.equal(edits(), ['⬇️']);
});

P('a final text replaces a pending update, and later updates are ignored', async () => {
  const alice = fake.createUser();
  const clock = new ManualClock();
  const p = (await ProgressMessage.send(api, alice.id, '🔎', { inline_keyboard: [[{ text: 'x', callback_data: 'mu:x:1' }]] }, { clock }))!;
  p.update('⬇️');
  await p.finish('🤷 not found');
  clock.advance(5000);
  p.update('📤');
  clock.advance(5000);
  await p.settled();
  assert.equal(edits(), ['🤷 not found']);
  assert.is(fake.lastMessageTo(alice.id)?.reply_markup, undefined, 'the cancel button is gone');
});

P('remove deletes the message and drops pending edits', async () => {
  const alice = fake.createUser();
  const clock = new ManualClock();
  const p = (await ProgressMessage.send(api, alice.id, '🔎', undefined, { clock }))!;
  p.update('⬇️');
  await p.remove();
  clock.advance(5000);
  await p.settled();
  assert.equal(edits(), []);
  assert.is(fake.messagesTo(alice.id).length, 0);
});

P('a chat that refuses the first message gives no progress message instead of an error', async () => {
  const alice = fake.createUser();
  fake.block(alice);
  assert.is(await ProgressMessage.send(api, alice.id, '🔎', undefined), undefined);
});

P.run();
