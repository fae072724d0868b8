/**
 * Reaching Telegram at start-up: a refused port and a silent one are named and retried until
 * Telegram answers, a token Telegram refuses ends at once with one line that names BOT_TOKEN
 * (never the token), and a stop signal ends the waiting.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StartupAbortedError, TelegramTokenRejectedError, connectTelegram } from '../../src/lifecycle/telegramStartup.ts';
import { testBotToken } from '../bot/botHarness.ts';
import { freePort } from '../helpers/appHarness.ts';
import { FakeBotApi } from '../helpers/fakeBotApi.ts';
import { createMemoryLogger, type MemoryLogger } from '../helpers/memoryLogger.ts';
import { rejects } from '../helpers/rejects.ts';

const Startup = suite('connectTelegram: the first getMe');

let fake: FakeBotApi;
let log: MemoryLogger;
const servers: Server[] = [];
const sockets = new Set<Socket>();

Startup.before.each(async () => {
  fake = await FakeBotApi.start({ token: testBotToken() });
  log = createMemoryLogger();
});
Startup.after.each(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  await fake.close();
});

const retries = () => log.records().filter((r) => r.msg === 'cannot reach Telegram; retrying');

async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(10);
}

/** A TCP server on `port`: `forwardTo` pipes every connection there; without it, it never answers. */
async function listen(port: number, forwardTo?: number): Promise<void> {
  const server = createServer((socket) => {
    sockets.add(socket);
    if (forwardTo === undefined) return;
    const upstream = connect(forwardTo, '127.0.0.1');
    sockets.add(upstream);
    socket.pipe(upstream).pipe(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
}

Startup('a refused port: each attempt logs "refused" and the next pause; once Telegram is up, the bot connects', async () => {
  const port = await freePort(); // nothing listens here yet
  const connecting = connectTelegram({ token: fake.token, apiRoot: `http://127.0.0.1:${port}`, logger: log.logger, firstDelayMs: 20 });
  await until(() => retries().length >= 2);
  await listen(port, Number(new URL(fake.apiRoot).port)); // Telegram comes back
  const me = await connecting;

  assert.is(me.username, fake.botUser.username);
  const [first, second] = retries();
  assert.match(String(first!.reason), /connection to http:\/\/127\.0\.0\.1:\d+ refused/);
  assert.equal([first!.attempt, first!.retryInMs, second!.attempt, second!.retryInMs], [1, 20, 2, 40], 'the pause doubles');
  assert.ok(log.records().some((r) => r.msg === 'connecting to Telegram (getMe)'), 'what it tries is logged before the first attempt');
  assert.ok(log.records().some((r) => r.msg === 'connected to Telegram'));
  assert.not.ok(log.text().includes(fake.token.split(':')[1]!), 'no token in the log');
});

Startup('a port that accepts and never answers: the attempt gives up at its limit and says so', async () => {
  const port = await freePort();
  await listen(port);
  const stop = new AbortController();
  const connecting = connectTelegram({ token: fake.token, apiRoot: `http://127.0.0.1:${port}`, logger: log.logger, signal: stop.signal, attemptTimeoutMs: 50, firstDelayMs: 60_000 });
  await until(() => retries().length >= 1);
  assert.is(retries()[0]!.reason, 'no answer within 0.05 s');
  stop.abort();
  await rejects(connecting, (e) => e instanceof StartupAbortedError);
});

Startup('a token Telegram refuses (401): rejected at once, one line naming BOT_TOKEN, never the token', async () => {
  const wrong = testBotToken();
  const connecting = connectTelegram({ token: wrong, apiRoot: fake.apiRoot, logger: log.logger, firstDelayMs: 60_000 });
  const err = (await rejects(connecting, (e) => e instanceof TelegramTokenRejectedError)) as Error;
  assert.match(err.message, /^Telegram refused BOT_TOKEN \(401 Unauthorized\)/);
  assert.not.ok(err.message.includes('\n'));
  assert.not.ok((err.message + log.text()).includes(wrong.split(':')[1]!), 'no token in the error or the log');
  assert.is(retries().length, 0, 'a wrong token is not retried');
});

Startup('a stop during the pause between attempts ends the waiting at once', async () => {
  const port = await freePort();
  const stop = new AbortController();
  const connecting = connectTelegram({ token: fake.token, apiRoot: `http://127.0.0.1:${port}`, logger: log.logger, signal: stop.signal, firstDelayMs: 600_000 });
  await until(() => retries().length >= 1);
  stop.abort();
  await rejects(connecting, (e) => e instanceof StartupAbortedError);
});

Startup.run();
