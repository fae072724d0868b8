/**
 * `src/main.ts` starting when Telegram cannot be reached or refuses the token: it says what it
 * tries and why it fails, keeps the probes answering (`/readyz` 503) while it retries, stops
 * cleanly on SIGTERM meanwhile, and ends a wrong token with one line and exit 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { testBotToken } from './bot/botHarness.ts';
import { appEnv, freePort, startAppFakes, type AppFakes } from './helpers/appHarness.ts';
import { spawnMain, type ChildMain } from './helpers/childMain.ts';

const Startup = suite('npm start: Telegram unreachable or refusing the token');

let fakes: AppFakes;
let root: string;
let port: number;
const running: ChildMain[] = [];

Startup.before.each(async () => {
  fakes = await startAppFakes();
  root = mkdtempSync(join(tmpdir(), 'main-startup-'));
  port = await freePort();
});
Startup.after.each(async () => {
  for (const bot of running.splice(0)) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  await fakes.close();
  rmSync(root, { recursive: true, force: true });
});

function start(extra: Record<string, string>): ChildMain {
  const bot = spawnMain(appEnv(fakes, { dataDir: join(root, 'data'), port, extra }), root);
  running.push(bot);
  return bot;
}

Startup('a token Telegram refuses (401 to getMe): exit 1 with one line naming BOT_TOKEN, never the token', async () => {
  const wrong = testBotToken(); // well-formed, but not the fake's
  const bot = start({ BOT_TOKEN: wrong });
  const exit = await bot.exited;
  await bot.closed;
  const stderr = bot.other.join('').trim();
  assert.is(exit.code, 1, stderr);
  assert.is(stderr.split('\n').length, 1, `one line: ${stderr}`);
  assert.match(stderr, /^Telegram refused BOT_TOKEN \(401 Unauthorized\)/);
  assert.not.ok((JSON.stringify(bot.lines) + stderr).includes(wrong.split(':')[1]!), 'no token in the output');
  assert.not.ok(bot.lines.some((l) => l.msg === 'start-up failed'), 'no stack trace for an operator mistake');
});

Startup('Telegram refusing connections: each attempt logs the reason and is retried, /readyz answers 503, SIGTERM stops cleanly', async () => {
  const nowhere = await freePort(); // nothing listens there
  const bot = start({ TELEGRAM_API_ROOT: `http://127.0.0.1:${nowhere}` });
  await bot.waitFor((l) => l.msg === 'connecting to Telegram (getMe)');
  const second = await bot.waitFor((l) => l.msg === 'cannot reach Telegram; retrying' && l.attempt === 2);
  assert.is(second.reason, `connection to http://127.0.0.1:${nowhere} refused (ECONNREFUSED): nothing listens there`);

  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  assert.is(ready.status, 503, 'the probes answer while Telegram is retried');
  assert.is(await ready.text(), 'not ready: bot');

  bot.child.kill('SIGTERM');
  const exit = await bot.exited;
  assert.equal(exit, { code: 0, signal: null }, bot.other.join('').slice(-1000));
  assert.ok(bot.lines.some((l) => l.msg === 'stopped'));
  assert.not.ok(JSON.stringify(bot.lines).includes(fakes.bot.token.split(':')[1]!), 'no token in the log');
});

Startup.run();
