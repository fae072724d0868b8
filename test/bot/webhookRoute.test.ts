/**
 * The webhook route behind the real HTTP server: the secret is checked before anything is
 * read into the bot, bodies over the limit are refused, a bot not started yet answers 503,
 * and a slow update is answered 200 in time while its handling goes on.
 */
import { Bot, type Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import pino from 'pino';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BotContext } from '../../src/bot/context.ts';
import { createWebhookRoute, WEBHOOK_PATH } from '../../src/bot/webhookRoute.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import type { Logger } from '../../src/log.ts';
import { rawRequest } from '../helpers/rawHttp.ts';

const Hook = suite('webhook route');
const SECRET = 'hook_secret_0123456789abcdef';
const BOT_INFO = { id: 42, is_bot: true, first_name: 'T', username: 'hook_test_bot' } as UserFromGetMe;
const logger = pino({ level: 'silent' }) as unknown as Logger;

interface Rig {
  url: string;
  port: number;
  handled: number[];
  release: () => void;
  server: HttpServer;
  finished: Promise<void>[];
}

async function rig(opts: { botInfo?: boolean; answerWithinMs?: number } = {}): Promise<Rig> {
  const bot = new Bot<BotContext>('42:AAtest', opts.botInfo === false ? {} : { botInfo: BOT_INFO });
  bot.api.config.use((async () => ({ ok: true, result: true })) as unknown as Transformer);
  const handled: number[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  bot.use(async (ctx) => {
    if (ctx.message?.text === 'slow') await released;
    handled.push(ctx.update.update_id);
  });
  const finished: Promise<void>[] = [];
  const route = createWebhookRoute({ bot, secret: SECRET, logger, maxBodyBytes: 2048, answerWithinMs: opts.answerWithinMs ?? 10_000, track: (p) => void finished.push(p) });
  const server = createHttpServer({ host: '127.0.0.1', port: 0, logger, routes: [route] });
  const { port } = await server.listen();
  return { url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`, port, handled, release, server, finished };
}

function update(id: number, text = 'hi'): Update {
  return { update_id: id, message: { message_id: 1, date: 1, chat: { id: 5, type: 'private', first_name: 'U' }, from: { id: 5, is_bot: false, first_name: 'U' }, text } } as Update;
}

async function post(url: string, body: string, secret?: string): Promise<number> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(secret !== undefined && { 'x-telegram-bot-api-secret-token': secret }) } });
  await res.arrayBuffer();
  return res.status;
}

Hook('the right secret gets the update handled; a wrong, missing or longer one gets 401 and nothing', async () => {
  const r = await rig();
  try {
    assert.is(await post(r.url, JSON.stringify(update(1)), SECRET), 200);
    assert.is(await post(r.url, JSON.stringify(update(2)), 'wrong'), 401);
    assert.is(await post(r.url, JSON.stringify(update(3))), 401);
    assert.is(await post(r.url, JSON.stringify(update(4)), `${SECRET}x`), 401);
    assert.equal(r.handled, [1]);
  } finally {
    await r.server.close(100);
  }
});

Hook('a body over the limit is refused with 413; a body that is not an update with 400', async () => {
  const r = await rig();
  try {
    assert.is(await post(r.url, JSON.stringify(update(1, 'x'.repeat(4096))), SECRET), 413);
    assert.is(await post(r.url, '{"message":{}}', SECRET), 400);
    assert.is(await post(r.url, 'not json', SECRET), 400);
    assert.equal(r.handled, []);
  } finally {
    await r.server.close(100);
  }
});

Hook('before the bot is started the webhook answers 503 so Telegram delivers again later', async () => {
  const r = await rig({ botInfo: false });
  try {
    assert.is(await post(r.url, JSON.stringify(update(1)), SECRET), 503);
  } finally {
    await r.server.close(100);
  }
});

Hook('a slow update is answered 200 in time and still finishes', async () => {
  const r = await rig({ answerWithinMs: 50 });
  try {
    assert.is(await post(r.url, JSON.stringify(update(9, 'slow')), SECRET), 200);
    assert.equal(r.handled, []);
    r.release();
    await Promise.all(r.finished);
    assert.equal(r.handled, [9]);
  } finally {
    await r.server.close(100);
  }
});

// Issue 11 item 13: the secret was checked only after the whole body had been buffered, so a
// stranger could make the server hold up to 1 MiB per connection, and a body that never ends
// held the request until the 30 s request timeout. Now the answer comes from the headers alone.
Hook('a wrong secret is answered 401 from the headers alone, while its body is still unfinished', async () => {
  const r = await rig();
  try {
    const head = (secret: string, framing: string) =>
      `POST ${WEBHOOK_PATH} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: ${secret}\r\n${framing}\r\n`;
    // 10 of 2,000 declared bytes, then silence: the socket stays open from our side.
    const declared = await rawRequest(r.port, `${head('wrong', 'Content-Length: 2000\r\n')}{"update_i`);
    assert.is(declared.status, 401);
    assert.is(declared.headers.connection, 'close', 'the unread body is not drained');
    // A chunked body whose last chunk never comes.
    const chunked = await rawRequest(r.port, `${head('', 'Transfer-Encoding: chunked\r\n')}a\r\n{"update_i\r\n`);
    assert.is(chunked.status, 401);
    assert.equal(r.handled, []);
    assert.is(await post(r.url, JSON.stringify(update(1)), SECRET), 200, 'the right secret still gets through');
    assert.equal(r.handled, [1]);
  } finally {
    await r.server.close(100);
  }
});

Hook.run();
