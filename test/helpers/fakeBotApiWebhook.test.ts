/**
 * The fake in webhook mode: updates are POSTed to the bot's webhook with the secret header,
 * a wrong or missing secret is refused by the bot, and a webhook reply counts as a call.
 */
import { Bot, webhookCallback } from 'grammy';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
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

Webhook('an unreachable webhook is recorded as status 0 and the update is not retried', async () => {
  const fake = await FakeBotApi.start();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  const hook = await serve(bot);
  await hook.close();
  try {
    await bot.api.setWebhook(hook.url);
    const update = fake.sendText(fake.createUser(), 'anyone?');
    assert.is(await fake.webhookDelivery(update.update_id), 0);
    assert.is(fake.queue.size, 0);
  } finally {
    await fake.close();
  }
});

Webhook.run();
