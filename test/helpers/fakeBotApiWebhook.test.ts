/**
 * The fake in webhook mode: updates are POSTed to the bot's webhook with the secret header,
 * a wrong or missing secret is refused by the bot, and a webhook reply counts as a call.
 */
import { Bot, webhookCallback } from 'grammy';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Update } from 'grammy/types';
import { FakeBotApi } from './fakeBotApi.ts';

const Webhook = suite('fakeBotApi webhook');

/** Serves the bot's webhook on 127.0.0.1 the way the real bot's HTTP server would. */
async function serve(bot: Bot, secretToken?: string): Promise<{ url: string; close(): Promise<void> }> {
  const handle = webhookCallback(bot, 'http', secretToken === undefined ? {} : { secretToken });
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

Webhook('in webhook mode updates reach the bot with the secret header, and a wrong secret gets 401', async () => {
  const fake = await FakeBotApi.start();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  bot.command('help', (ctx) => ctx.reply('Help'));
  const hook = await serve(bot, 'hook_secret');
  try {
    const url = hook.url;
    await bot.api.setWebhook(url, { secret_token: 'hook_secret' });
    const alice = fake.createUser();
    const update = fake.sendCommand(alice, 'help');
    assert.is((await fake.nextCall('sendMessage')).params.text, 'Help');
    assert.is(await fake.webhookDelivery(update.update_id), 200);
    assert.is(await fake.deliverWebhook(url, { ...update, update_id: update.update_id + 1000 }, 'wrong'), 401);
    assert.is(await fake.deliverWebhook(url, { ...update, update_id: update.update_id + 1001 }), 401);
    assert.is(fake.callsOf('sendMessage').length, 1);
    fake.assertNoViolations();
  } finally {
    await fake.close();
    await hook.close();
  }
});

Webhook('a reply the bot puts into its webhook answer is validated and recorded as a call', async () => {
  const fake = await FakeBotApi.start();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot, canUseWebhookReply: (m) => m === 'sendMessage' } });
  bot.command('help', (ctx) => ctx.reply('Help'));
  const hook = await serve(bot);
  try {
    await bot.api.setWebhook(hook.url);
    const alice = fake.createUser();
    fake.sendCommand(alice, 'help');
    const call = await fake.nextCall('sendMessage');
    assert.equal([call.via, call.params.text, call.status], ['webhookReply', 'Help', 200]);
    assert.is(fake.lastMessageTo(alice.id)?.text, 'Help');
    fake.assertNoViolations();
  } finally {
    await fake.close();
    await hook.close();
  }
});

/** A webhook answering with `answer(update)`'s status for each POST (and the update's arrival order). */
async function scripted(answer: (update: Update, attempt: number) => Promise<number> | number, headers: Record<string, string> = {}) {
  const seen: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update;
      seen.push(update.update_id);
      const status = await answer(update, seen.filter((id) => id === update.update_id).length);
      res.writeHead(status, status === 200 ? {} : headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

Webhook('an update the webhook did not take is sent again, at once and then after 2 s, until it is answered 200', async () => {
  const fake = await FakeBotApi.start({ webhookSecondMs: 20 });
  const hook = await scripted((_u, attempt) => (attempt < 3 ? 500 : 200));
  try {
    await setWebhook(fake, hook.url);
    const update = fake.sendText(fake.createUser(), 'anyone?');
    const started = Date.now();
    await waitFor(() => fake.webhookDeliveries.length === 3);
    assert.equal(fake.webhookDeliveries.map((d) => d.status), [500, 500, 200]);
    assert.equal(hook.seen, [update.update_id, update.update_id, update.update_id]);
    assert.ok(Date.now() - started >= 2 * 20, 'the third try waited 2 of Telegram\'s seconds');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.is(fake.webhookDeliveries.length, 3, 'answered 200: never sent again');
  } finally {
    await fake.close();
    await hook.close();
  }
});

Webhook('an unreachable webhook keeps the update; it arrives once the bot is back', async () => {
  const fake = await FakeBotApi.start({ webhookSecondMs: 5 });
  const hook = await scripted(() => 200);
  try {
    await setWebhook(fake, hook.url);
    const original = hook.url;
    // A port nobody listens on first: the POSTs fail to connect (status 0).
    fake.world.webhook!.url = original.replace(/:\d+\//, ':1/');
    const update = fake.sendText(fake.createUser(), 'anyone?');
    assert.is(await fake.webhookDelivery(update.update_id), 0);
    await waitFor(() => fake.webhookDeliveries.length >= 2);
    fake.world.webhook!.url = original;
    await waitFor(() => hook.seen.length === 1);
    assert.equal(hook.seen, [update.update_id]);
  } finally {
    await fake.close();
    await hook.close();
  }
});

Webhook('a Retry-After in the answer is waited for before the next try', async () => {
  const fake = await FakeBotApi.start({ webhookSecondMs: 20 });
  const hook = await scripted((_u, attempt) => (attempt === 1 ? 429 : 200), { 'retry-after': '5' });
  try {
    await setWebhook(fake, hook.url);
    const started = Date.now();
    fake.sendText(fake.createUser(), 'slow down?');
    await waitFor(() => hook.seen.length === 2);
    assert.ok(Date.now() - started >= 5 * 20, 'waited the 5 s the bot asked for');
  } finally {
    await fake.close();
    await hook.close();
  }
});

Webhook('one chat\'s updates go one at a time in order, while other chats are delivered in parallel', async () => {
  const fake = await FakeBotApi.start();
  let releaseAlice!: () => void;
  const aliceHeld = new Promise<void>((resolve) => (releaseAlice = resolve));
  const alice = fake.createUser();
  const bob = fake.createUser();
  const hook = await scripted(async (u) => {
    if (u.message?.text === 'alice 1') await aliceHeld;
    return 200;
  });
  try {
    await setWebhook(fake, hook.url);
    const a1 = fake.sendText(alice, 'alice 1');
    const a2 = fake.sendText(alice, 'alice 2');
    const b1 = fake.sendText(bob, 'bob 1');
    await waitFor(() => hook.seen.includes(b1.update_id));
    assert.not.ok(hook.seen.includes(a2.update_id), 'alice\'s second update waits for her first');
    releaseAlice();
    await waitFor(() => hook.seen.includes(a2.update_id));
    assert.equal(hook.seen, [a1.update_id, b1.update_id, a2.update_id]);
  } finally {
    await fake.close();
    await hook.close();
  }
});

Webhook('an inline query nobody takes is dropped after its 30 s', async () => {
  const fake = await FakeBotApi.start({ webhookSecondMs: 2 });
  const hook = await scripted(() => 503);
  try {
    await setWebhook(fake, hook.url);
    const q = fake.inlineQuery(fake.createUser(), 'song');
    await new Promise((resolve) => setTimeout(resolve, 30 * 2 + 150));
    const tries = hook.seen.length;
    assert.ok(tries >= 2 && hook.seen.every((id) => id === q.update_id), `tried ${tries} times`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.is(hook.seen.length, tries, 'not tried after it expired');
  } finally {
    await fake.close();
    await hook.close();
  }
});

/** Sets the webhook the way the bot does, through the API. */
async function setWebhook(fake: FakeBotApi, url: string): Promise<void> {
  await new Bot(fake.token, { client: { apiRoot: fake.apiRoot } }).api.setWebhook(url);
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

Webhook.run();
