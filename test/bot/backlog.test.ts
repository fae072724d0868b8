/**
 * One user cannot stall the others (issue 11, item 1): a flood of updates from one account
 * is cut to a bounded backlog, the flooder hears "slow down" at most once a minute, and
 * another user is answered while the flooder's replies are still pending, by polling and by
 * webhook. The flooder's replies are held by the fake Bot API until the test lets them go,
 * so what the other user sees does not depend on how fast the machine is.
 */
import type { User } from 'grammy/types';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MusicPort } from '../../src/bot/musicChat/musicPort.ts';
import type { BotFeature } from '../../src/bot/routing.ts';
import { type ApiCall } from '../helpers/fakeBotApi.ts';
import { messageHandlers } from '../helpers/fakeBotApiMessages.ts';
import { textUpdate } from '../helpers/fakeBotApiUsers.ts';
import { startBotHarness, type BotHarness } from './botHarness.ts';

const Backlog = suite('per-user backlog under a flood');
let h: BotHarness | undefined;
/** Lets held replies go, so a failed test still stops (the bot's stop waits for them). */
let releaseAll: (() => void) | undefined;

Backlog.after.each(async () => {
  releaseAll?.();
  await h?.close();
  h = undefined;
});

const HELP_RU = '/recent';
const SLOW_DOWN_RU = 'быстрее, чем я успеваю отвечать';

/**
 * Holds every message to `user` except the slow-down notice until `release()`; the held
 * calls are recorded (and so seen by `nextCall`) only once released.
 */
function holdRepliesTo(harness: BotHarness, user: User): { release(): void; hold(): void } {
  let open: (() => void) | undefined;
  let opened: Promise<void> = Promise.resolve();
  const hold = () => void (opened = new Promise<void>((r) => (open = r)));
  hold();
  releaseAll = () => {
    opened = Promise.resolve();
    open?.();
  };
  harness.fake.handle('sendMessage', async (input) => {
    if (input.params.chat_id === user.id && !String(input.params.text).includes(SLOW_DOWN_RU)) await opened;
    return messageHandlers.sendMessage!(input);
  });
  return { release: () => open?.(), hold };
}

const to = (user: User) => (c: ApiCall) => c.params.chat_id === user.id;
const texts = (harness: BotHarness, user: User) => harness.fake.callsOf('sendMessage').filter(to(user)).map((c) => String(c.params.text));

/** Sends a command no feature knows and waits for its fallback reply: every earlier update of `user` is done then. */
async function settle(harness: BotHarness, user: User): Promise<void> {
  harness.fake.sendCommand(user, 'nosuchcommand');
  await harness.fake.nextCall('sendMessage', (c) => to(user)(c) && String(c.params.text).startsWith('Такой команды'));
}

async function drain(harness: BotHarness, user: User, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await harness.fake.nextCall('sendMessage', to(user));
}

Backlog('polling: 1,000 /help from one user, then one from another: the other is answered first; the flooder gets 20 and one notice a minute', async () => {
  h = await startBotHarness();
  const flooder = h.fake.createUser({ languageCode: 'ru' });
  const other = h.fake.createUser();
  const held = holdRepliesTo(h, flooder);
  for (let i = 0; i < 1000; i++) h.fake.sendCommand(flooder, 'help');
  h.fake.sendCommand(other, 'help');

  assert.match((await h.replyTo(other)).params.text, '/recent');
  const notice = await h.fake.nextCall('sendMessage', (c) => to(flooder)(c) && String(c.params.text).includes(SLOW_DOWN_RU));
  assert.match(notice.params.text, 'часть из них я пропускаю', 'the notice is in the flooder’s language');
  assert.equal(texts(h, flooder).filter((t) => t.includes(HELP_RU)), [], 'no reply of the flooder’s went out before the other user’s');

  held.release();
  await drain(h, flooder, 20);
  await settle(h, flooder);
  const round1 = texts(h, flooder);
  assert.is(round1.filter((t) => t.includes(HELP_RU)).length, 20, 'the flooder’s backlog is bounded at 20');
  assert.is(round1.filter((t) => t.includes(SLOW_DOWN_RU)).length, 1, 'one notice');

  // Half a minute later another flood: no second notice yet.
  h.link.clock.advance(30_000);
  held.hold();
  for (let i = 0; i < 100; i++) h.fake.sendCommand(flooder, 'help');
  h.fake.sendCommand(other, 'help');
  await h.replyTo(other);
  held.release();
  await drain(h, flooder, 20);
  await settle(h, flooder);
  assert.is(texts(h, flooder).filter((t) => t.includes(SLOW_DOWN_RU)).length, 1, 'still one notice within the minute');

  // A minute after the first notice: one more.
  h.link.clock.advance(31_000);
  held.hold();
  for (let i = 0; i < 100; i++) h.fake.sendCommand(flooder, 'help');
  h.fake.sendCommand(other, 'help');
  await h.replyTo(other); // all of the flood has reached the bot
  await h.fake.nextCall('sendMessage', (c) => to(flooder)(c) && String(c.params.text).includes(SLOW_DOWN_RU));
  held.release();
  await drain(h, flooder, 20);
  await settle(h, flooder);
  const all = texts(h, flooder);
  assert.is(all.filter((t) => t.includes(SLOW_DOWN_RU)).length, 2, 'a second notice after a minute');
  assert.is(all.filter((t) => t.includes(HELP_RU)).length, 60, '20 handled per flood');
});

Backlog('webhook: a flooder’s waiting updates are answered 200 at once, and another user is served meanwhile', async () => {
  h = await startBotHarness({ mode: 'webhook' });
  const hook = h.fake.webhook!;
  const flooder = h.fake.createUser({ languageCode: 'ru' });
  const other = h.fake.createUser();
  const held = holdRepliesTo(h, flooder);
  const deliver = (user: User, text: string) => h!.fake.deliverWebhook(hook.url, textUpdate(h!.fake.world, user, text), hook.secretToken);

  const first = deliver(flooder, '/help');
  // Telegram keeps one connection per update waiting for our answer (40 by default): none of
  // them may wait for the flooder's first update. (Failure shows as the deadline, not as a
  // slow pass.)
  const rest = Promise.all(Array.from({ length: 40 }, () => deliver(flooder, '/help')));
  const deadline = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 5_000).unref());
  const statuses = await Promise.race([rest, deadline]);
  assert.equal(statuses === 'stuck' ? 'stuck' : [...new Set(statuses)], [200], 'every waiting update answered 200 while the first still runs');
  assert.is(await deliver(other, '/help'), 200);
  assert.match((await h.replyTo(other)).params.text, '/recent');
  assert.equal(texts(h, flooder).filter((t) => t.includes(HELP_RU)), []);

  held.release();
  assert.is(await first, 200);
  await drain(h, flooder, 21);
  assert.is(await deliver(flooder, '/nosuchcommand'), 200);
  await h.fake.nextCall('sendMessage', (c) => to(flooder)(c) && String(c.params.text).startsWith('Такой команды'));
  const all = texts(h, flooder);
  assert.is(all.filter((t) => t.includes(HELP_RU)).length, 20);
  assert.is(all.filter((t) => t.includes(SLOW_DOWN_RU)).length, 1);
});

Backlog('a waiting update that fails still reaches bot.catch: logged, and the user hears "something went wrong"', async () => {
  const feature: BotFeature = {
    messages: async (ctx) => {
      if (ctx.message.text === 'boom') throw new Error('the waiting update exploded');
      return false;
    },
  };
  const music: MusicPort = { feature, downloadSpotifyTrack: async () => {}, cachedAudio: async () => undefined, answerInlineSearch: async () => {} };
  h = await startBotHarness({ music });
  const olga = h.fake.createUser({ languageCode: 'ru' });
  const other = h.fake.createUser();
  const held = holdRepliesTo(h, olga);
  h.fake.sendCommand(olga, 'help');
  h.fake.sendText(olga, 'boom');
  h.fake.sendCommand(olga, 'start');
  h.fake.sendCommand(other, 'help');
  await h.replyTo(other); // olga's three are in: the first running, the other two waiting
  held.release();
  const replies: string[] = [];
  for (let i = 0; i < 3; i++) replies.push(String((await h.fake.nextCall('sendMessage', to(olga))).params.text));
  // The error message goes out beside the next update, as it does for an update handled at once.
  assert.ok(replies.includes('У меня что-то пошло не так. Попробуйте ещё раз.'), replies.join('\n---\n'));
  assert.is(replies.filter((t) => t.includes(HELP_RU)).length, 2, '/help, and /start (greeting and help) after the failure');
  assert.match(h.logs(), 'the waiting update exploded');
});

Backlog.run();
