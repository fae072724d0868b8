/**
 * Flood control: bursts go out at once, then one message per second in a private chat,
 * 20 a minute in a group, 30 a second overall; the messages of a chat keep their order, and
 * calls that send nothing into a chat are never held.
 */
import type { Transformer } from 'grammy';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { floodControl, TELEGRAM_FLOOD_LIMITS, type FloodClock } from '../../src/bot/floodControl.ts';

const Flood = suite('flood control');

/** A clock whose timers fire only when the test moves time. */
function fakeClock(): FloodClock & { advance(ms: number): Promise<void> } {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => now,
    setTimeout(fn, ms) {
      timers.push({ at: now + ms, fn });
      return { unref() {} } as unknown as NodeJS.Timeout;
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
        await new Promise((r) => setImmediate(r));
      }
      now = end;
      await new Promise((r) => setImmediate(r));
    },
  };
}

function rig(limits = TELEGRAM_FLOOD_LIMITS) {
  const clock = fakeClock();
  const sent: string[] = [];
  const prev = (async (method: string, payload: { chat_id?: number; text?: string }) => {
    sent.push(`${method}:${payload.chat_id ?? '-'}:${payload.text ?? ''}`);
    return { ok: true, result: true };
  }) as unknown as Parameters<Transformer>[0];
  const transform = floodControl(limits, clock);
  const call = (method: string, payload: Record<string, unknown>) => void transform(prev, method as never, payload as never);
  return { clock, sent, call };
}

const settle = () => new Promise((r) => setImmediate(r));

Flood('a private chat gets a burst of three at once, then one per second, in order', async () => {
  const { clock, sent, call } = rig();
  for (let i = 1; i <= 5; i++) call('sendMessage', { chat_id: 1, text: `m${i}` });
  await settle();
  assert.equal(sent, ['sendMessage:1:m1', 'sendMessage:1:m2', 'sendMessage:1:m3']);
  await clock.advance(999);
  assert.is(sent.length, 3);
  await clock.advance(1);
  assert.equal(sent.slice(3), ['sendMessage:1:m4']);
  await clock.advance(1000);
  assert.equal(sent.slice(3), ['sendMessage:1:m4', 'sendMessage:1:m5']);
});

Flood('another chat is not held up by a busy one, and unlimited methods pass at once', async () => {
  const { sent, call } = rig();
  for (let i = 1; i <= 5; i++) call('sendMessage', { chat_id: 1, text: `m${i}` });
  call('sendMessage', { chat_id: 2, text: 'other' });
  call('answerCallbackQuery', { callback_query_id: 'q' });
  call('sendChatAction', { chat_id: 1, action: 'typing' });
  await settle();
  assert.ok(sent.includes('sendMessage:2:other'));
  assert.ok(sent.includes('answerCallbackQuery:-:'));
  assert.ok(sent.includes('sendChatAction:1:'));
});

Flood('a group gets 20 messages a minute', async () => {
  const { clock, sent, call } = rig();
  for (let i = 1; i <= 22; i++) call('sendMessage', { chat_id: -100, text: `g${i}` });
  await settle();
  assert.is(sent.length, 20);
  await clock.advance(3_000);
  assert.is(sent.length, 21);
  await clock.advance(3_000);
  assert.is(sent.length, 22);
});

Flood('all chats together get 30 a second', async () => {
  const { clock, sent, call } = rig();
  for (let chat = 1; chat <= 40; chat++) call('sendMessage', { chat_id: chat, text: 'x' });
  await settle();
  assert.is(sent.length, 30);
  await clock.advance(400);
  assert.is(sent.length, 40);
});

Flood('infinite limits never hold a call back', async () => {
  const { sent, call } = rig({ globalPerSecond: Infinity, privatePerSecond: Infinity, privateBurst: Infinity, groupPerMinute: Infinity });
  for (let i = 0; i < 500; i++) call('sendMessage', { chat_id: i % 3 === 0 ? -5 : 5, text: String(i) });
  await settle();
  assert.is(sent.length, 500);
});

Flood.run();
