/**
 * The whole app with `DATABASE_URL`: the event log, the token vault and the file_id cache in
 * PostgreSQL (a throwaway cluster), against the fake Bot API and the fake Spotify.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { User } from 'grammy/types';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startApp, type RunningApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { DatabaseInUseError } from '../src/storage/openStorage.ts';
import { urlButton } from './bot/botHarness.ts';
import { appEnv, browserLogin, freePort, startAppFakes, unlinkThroughTheBot, type AppFakes } from './helpers/appHarness.ts';
import { startLoadBalancer } from './helpers/loadBalancer.ts';
import { freshDatabase } from './helpers/postgresCluster.ts';
import { parsePromText, sample } from './helpers/promText.ts';
import { rejects } from './helpers/rejects.ts';

const App = suite('the app on PostgreSQL');

let fakes: AppFakes;
let database: { url: string; drop(): Promise<void> };
let dataDir: string;
let lines: string[];
const apps: RunningApp[] = [];

App.before.each(async () => {
  fakes = await startAppFakes();
  database = await freshDatabase();
  dataDir = join(mkdtempSync(join(tmpdir(), 'app-pg-')), 'data');
  lines = [];
});
App.after.each(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await fakes.close();
  await database.drop();
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

async function start(mode: 'polling' | 'webhook' = 'polling', publicBase?: string): Promise<RunningApp> {
  const port = await freePort();
  const webhook: Record<string, string> = mode === 'webhook' ? { BOT_MODE: 'webhook', WEBHOOK_SECRET: 'hook-secret-0123456789' } : {};
  if (publicBase) webhook.PUBLIC_BASE_URL = publicBase;
  const config = loadConfig(appEnv(fakes, { dataDir, port, extra: { DATABASE_URL: withPassword(database.url), DATABASE_SCHEMA: 'musicbot', DATABASE_MUSIC_SCHEMA: 'musicbot_music', ...webhook } }));
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  const app = await startApp(config, logger, { bot: { pollingTimeoutSec: 1, floodLimits: false } });
  apps.push(app);
  return app;
}

// The test cluster trusts loopback connections, so a password is accepted and ignored: it
// is only there to be looked for in the logs and errors.
const PASSWORD = 'pg-pass-Zq81xk';
const withPassword = (url: string) => url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);

const replyTo = (user: User) => fakes.bot.nextCall('sendMessage', (c) => c.params.chat_id === user.id);

async function link(user: User, app: RunningApp): Promise<void> {
  fakes.bot.sendCommand(user, 'login');
  const login = await replyTo(user);
  const visit = await browserLogin(fakes, urlButton(login.result), `http://127.0.0.1:${app.port}`);
  assert.is(visit.status, 303);
  fakes.bot.sendCommand(user, 'start', visit.completionId);
  assert.match(String((await replyTo(user)).params.text), '✅');
}

/** Everything the bot stored in the database, as text. */
async function everythingStored(): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const tables = ['musicbot.events', 'musicbot.projection_rows', 'musicbot.checkpoints', 'musicbot.vault_keys', 'musicbot_music.audio_cache'];
    const dumps: string[] = [];
    for (const t of tables) dumps.push(JSON.stringify((await client.query(`SELECT * FROM ${t}`)).rows));
    return dumps.join('\n');
  } finally {
    await client.end();
  }
}

App('a user links Spotify, the bot restarts on the same database, /now still reads with their token, /unlink shreds the key', async () => {
  const alice = fakes.bot.createUser({ languageCode: 'en' });
  const first = await start();
  await link(alice, first);
  assert.is((await first.links!.status(alice.id)).state, 'linked');
  assert.equal(fakes.spotify.leaksIn(await everythingStored()), [], 'no token, code or verifier in plaintext in the database');
  await first.stop();
  apps.splice(apps.indexOf(first), 1);

  const second = await start();
  assert.is((await second.links!.status(alice.id)).state, 'linked', 'the link lives in the database, not in the process');
  const before = fakes.spotify.count('currently-playing');
  fakes.bot.sendCommand(alice, 'now');
  await replyTo(alice);
  assert.is(fakes.spotify.count('currently-playing', { status: 204 }), before + 1, '/now asked Spotify with the stored token');

  await unlinkThroughTheBot(fakes, alice);
  assert.is((await second.links!.status(alice.id)).state, 'unlinked');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    assert.is((await client.query('SELECT count(*)::int AS n FROM musicbot.vault_keys')).rows[0].n, 0, 'the data key went with the unlink');
  } finally {
    await client.end();
  }
  const ready = await fetch(`http://127.0.0.1:${second.port}/readyz`);
  assert.is(await ready.text(), 'ready');
  assert.not.ok(lines.join('').includes(PASSWORD), 'the database password is never logged');
  fakes.bot.assertNoViolations();
});

App('a second polling bot on the same database stops at start in one line; the first goes on', async () => {
  const alice = fakes.bot.createUser();
  const first = await start();
  const err = await rejects(start(), (e) => e instanceof DatabaseInUseError);
  assert.is((err as DatabaseInUseError).code, 'DATABASE_IN_USE');
  assert.not.ok((err as Error).message.includes('\n'));
  assert.match((err as Error).message, 'schema musicbot');
  assert.not.ok((err as Error).message.includes(PASSWORD), 'the password is not in the error');
  await link(alice, first);
  assert.is((await first.links!.status(alice.id)).state, 'linked');
});

App('two bots in webhook mode behind one address share the database: a login started on one completes on the other', async () => {
  const lb = await startLoadBalancer();
  try {
    const alice = fakes.bot.createUser({ languageCode: 'en' });
    const first = await start('webhook', lb.url);
    const second = await start('webhook', lb.url);
    const [toFirst, toSecond] = [`http://127.0.0.1:${first.port}`, `http://127.0.0.1:${second.port}`];
    lb.targets = [toFirst, toSecond];
    // Telegram's updates reach the second bot, the browser's callback the first.
    lb.route = (req) => (req.method === 'POST' ? toSecond : toFirst);
    fakes.bot.sendCommand(alice, 'login');
    const login = await replyTo(alice);
    const startedOn = async (base: string) => sample(parsePromText(await (await fetch(`${base}/metrics`)).text()), 'musicbot_logins_started_total');
    assert.equal([await startedOn(toFirst), await startedOn(toSecond)], [0, 1], 'the second bot started the login');
    const visit = await browserLogin(fakes, urlButton(login.result), lb.url);
    assert.is(visit.status, 303, 'the first bot completed it');
    fakes.bot.sendCommand(alice, 'start', visit.completionId);
    assert.match(String((await replyTo(alice)).params.text), '✅');
    assert.is((await second.links!.status(alice.id)).state, 'linked', 'the bot that confirmed it');
    // The other bot learns of the confirmation when PostgreSQL announces the append.
    const until = Date.now() + 5000;
    while ((await first.links!.status(alice.id)).state !== 'linked' && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.is((await first.links!.status(alice.id)).state, 'linked', 'the other bot within 5 s');
    fakes.bot.assertNoViolations();
  } finally {
    for (const app of apps.splice(0)) await app.stop();
    await lb.close();
  }
});

App.run();
