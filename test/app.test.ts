/**
 * The whole app, started in-process with `startApp` exactly as `main.ts` does, on a
 * classic-level data dir, against the fake Bot API and the fake Spotify.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { User } from 'grammy/types';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLevelDb } from '../eventlog/index.ts';
import { startApp, type RunningApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { backupDataDir } from '../src/backup/backup.ts';
import { dbLocation } from '../src/storage/dataDir.ts';
import { urlButton } from './bot/botHarness.ts';
import { appEnv, browserLogin, freePort, startAppFakes, testMasterKey, unlinkThroughTheBot, type AppFakes } from './helpers/appHarness.ts';
import { parsePromText, sample } from './helpers/promText.ts';

const App = suite('the app started by startApp');

/** Handles of this process before any server started (stdio pipes). */
const BASELINE = process.getActiveResourcesInfo();

/** The resources in `now` beyond those in `baseline` (as a multiset). */
function extraResources(baseline: readonly string[], now: readonly string[]): string[] {
  const left = [...baseline];
  return now.filter((r) => {
    const i = left.indexOf(r);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

let fakes: AppFakes;
let dataDir: string;
let port: number;
let lines: string[];
let app: RunningApp | undefined;

App.before.each(async () => {
  fakes = await startAppFakes();
  dataDir = join(mkdtempSync(join(tmpdir(), 'app-')), 'data');
  port = await freePort();
  lines = [];
  app = undefined;
});
App.after.each(async () => {
  await app?.stop();
  await fakes.close();
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${port}`;
const logs = () => lines.join('');

async function start(env: { key?: string; previousKeys?: string } = {}): Promise<RunningApp> {
  const config = loadConfig(appEnv(fakes, { dataDir, port, ...env }));
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  app = await startApp(config, logger, { bot: { pollingTimeoutSec: 1, floodLimits: false } });
  return app;
}

const replyTo = (user: User) => fakes.bot.nextCall('sendMessage', (c) => c.params.chat_id === user.id);

async function linkThroughTheApp(user: User) {
  fakes.bot.sendCommand(user, 'login');
  const login = await replyTo(user);
  const visit = await browserLogin(fakes, urlButton(login.result), base());
  fakes.bot.sendCommand(user, 'start', visit.completionId);
  return { visit, confirmed: await replyTo(user) };
}

const scrape = async () => parsePromText(await (await fetch(`${base()}/metrics`)).text());

App('/healthz answers at once and /readyz once the bot has reached Telegram', async () => {
  await start();
  const health = await fetch(`${base()}/healthz`);
  assert.is(health.status, 200);
  assert.is(await health.text(), 'ok');
  const alice = fakes.bot.createUser();
  fakes.bot.sendCommand(alice, 'help');
  await replyTo(alice); // an update came through getUpdates: the bot is connected
  const ready = await fetch(`${base()}/readyz`);
  assert.is(ready.status, 200);
  assert.is(await ready.text(), 'ready');
});

App('a user links Spotify: /login, the Spotify page, the callback on the app answers 303, /start <id> says connected', async () => {
  await start();
  const alice = fakes.bot.createUser({ languageCode: 'en' });
  const { visit, confirmed } = await linkThroughTheApp(alice);
  assert.is(visit.status, 303);
  assert.is(visit.referrerPolicy, 'no-referrer');
  assert.match(visit.location, `https://t.me/${fakes.bot.botUser.username}?start=`);
  assert.match(String(confirmed.params.text), '✅');
  assert.is((await app!.links!.status(alice.id)).state, 'linked');
  assert.equal(fakes.spotify.leaksIn(logs()), [], 'no Spotify secret in the log');
  fakes.bot.assertNoViolations();
});

App('/metrics, scraped while the bot works, shows the counters moving', async () => {
  await start();
  let s = await scrape();
  assert.is(sample(s, 'musicbot_logins_started_total'), 0);
  assert.is(sample(s, 'musicbot_telegram_updates_total'), 0);

  const alice = fakes.bot.createUser();
  await linkThroughTheApp(alice);
  s = await scrape();
  assert.is(sample(s, 'musicbot_logins_started_total'), 1);
  assert.is(sample(s, 'musicbot_logins_completed_total'), 1);
  assert.is(sample(s, 'musicbot_telegram_updates_total', { type: 'message', outcome: 'ok' }), 2, '/login and /start');
  assert.is(sample(s, 'musicbot_spotify_requests_total', { endpoint: 'token', status: '200' }), 1, 'the code exchange');
  assert.is(sample(s, 'musicbot_spotify_requests_total', { endpoint: 'me', status: '200' }), 1);
  assert.is(sample(s, 'musicbot_eventlog_events_total'), 3, 'LoginStarted, GrantReceived, LinkConfirmed');
  assert.is(sample(s, 'musicbot_eventlog_head_position'), 2);
  assert.is(sample(s, 'musicbot_eventlog_projection_lag_events'), 0);
  assert.ok(sample(s, 'musicbot_process_resident_memory_bytes') > 0);

  await unlinkThroughTheBot(fakes, alice);
  s = await scrape();
  assert.is(sample(s, 'musicbot_unlinks_total'), 1);
  assert.ok(sample(s, 'musicbot_telegram_updates_total', { type: 'callback_query' }) >= 1);
});

App('stop() stops polling, closes HTTP and LevelDB, and leaves nothing that keeps the process alive', async () => {
  await start();
  const alice = fakes.bot.createUser();
  await linkThroughTheApp(alice);
  const report = await app!.stop();
  assert.equal(report, { timedOut: [], failed: [] });
  assert.equal(await app!.stop(), report, 'stop() is idempotent');
  const polls = fakes.bot.callsOf('getUpdates').length;
  await fetch(`${base()}/healthz`).then(
    () => assert.unreachable('the HTTP server still answers'),
    () => undefined,
  );
  const db = await openLevelDb(dbLocation(dataDir)); // the lock is released
  await db.close();
  await fakes.close();
  // Closed sockets leave the handle list a few ticks later: wait for it (bounded), then compare.
  const extra = () => extraResources(BASELINE, process.getActiveResourcesInfo());
  for (let i = 0; i < 200 && extra().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(extra(), [], 'nothing the app started keeps the process alive');
  assert.is(fakes.bot.callsOf('getUpdates').length, polls, 'no getUpdates after stop');
  fakes = { ...fakes, close: async () => undefined };
  app = undefined;
});

App('a backup asked for while the app runs comes through its control socket', async () => {
  await start();
  await linkThroughTheApp(fakes.bot.createUser());
  const file = join(dataDir, '..', 'running.mbk');
  const report = await backupDataDir(dataDir, file);
  assert.is(report.via, 'running bot');
  assert.is(report.headPosition, app!.storage.level!.headPosition());
});

App('restarting with a new master key and the old one as previous re-wraps the data keys; then the new key alone opens the tokens', async () => {
  const oldKey = testMasterKey(1);
  const newKey = testMasterKey(2);
  await start({ key: oldKey });
  const alice = fakes.bot.createUser();
  await linkThroughTheApp(alice);
  const token = await app!.links!.accessToken(alice.id);
  await app!.stop();

  await start({ key: newKey, previousKeys: oldKey });
  assert.match(logs(), /master key rotation: every data key is wrapped by the active key now/);
  const rotation = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).startsWith('master key rotation'))!;
  assert.ok((rotation.rewrapped as number) >= 1);
  await app!.stop();

  await start({ key: newKey });
  assert.is(await app!.links!.accessToken(alice.id), token);
  for (const key of [oldKey, newKey]) assert.not.ok(logs().includes(key), 'no master key in the log');
});

App.run();
