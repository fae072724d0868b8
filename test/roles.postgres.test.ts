/**
 * `BOT_ROLE=web` and `BOT_ROLE=worker` on one PostgreSQL database: the web instance takes the
 * user's message and queues the download; a worker instance downloads, uploads and edits the
 * progress message, so the audio arrives even when the web instance that queued it is gone.
 * The whole app (`startApp`) runs for each role, against the fake Bot API, the fake music
 * sources and the local media server (the real yt-dlp and ffmpeg).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunningApp } from '../src/app.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { appEnv, startAppFakes, startRoleApp, type AppFakes } from './helpers/appHarness.ts';
import { startMediaServer, type MediaServer } from './helpers/mediaServer.ts';
import { freshDatabase } from './helpers/postgresCluster.ts';

const Roles = suite('web and worker roles on PostgreSQL');

let fakes: AppFakes;
let media: MediaServer;
let database: { url: string; drop(): Promise<void> };
let root: string;
let lines: string[];
const apps: RunningApp[] = [];

Roles.before.each(async () => {
  fakes = await startAppFakes();
  media = await startMediaServer();
  database = await freshDatabase();
  root = mkdtempSync(join(tmpdir(), 'roles-'));
  mkdirSync(join(root, 'tmp'));
  lines = [];
});
Roles.after.each(async () => {
  for (const app of apps.splice(0)) await app.stop({ graceMs: 2_000 });
  await fakes.close();
  await media.close();
  await database.drop();
  rmSync(root, { recursive: true, force: true });
});

/** Apps started in this file: each gets a DATA_DIR of its own. */
let started = 0;

async function start(role: 'web' | 'worker', extra: Record<string, string> = {}): Promise<RunningApp> {
  const app = await startRoleApp({ fakes, mediaBaseUrl: media.baseUrl, databaseUrl: database.url, role, dataDir: join(root, `${role}-${++started}`), tempRoot: join(root, 'tmp'), log: (line) => void lines.push(line), extra });
  apps.push(app);
  return app;
}

async function stop(app: RunningApp): Promise<void> {
  apps.splice(apps.indexOf(app), 1);
  await app.stop({ graceMs: 2_000 });
}

const LINK = 'https://youtu.be/dQw4w9WgXcQ';

Roles('the worker downloads what a web instance queued, and edits its progress message, after that web instance stopped', async () => {
  await media.addPage('/watch?v=dQw4w9WgXcQ', { title: 'Night Drive (Official Video)', artist: 'Aurora Lane', uploader: 'Aurora Lane - Topic', seconds: 3, freq: 550 });
  const web = await start('web');
  const user = fakes.bot.createUser({ languageCode: 'en' });
  const sent = fakes.bot.sendText(user, LINK);
  const queued = await fakes.bot.nextCall('sendMessage', (c) => c.params.chat_id === user.id);
  assert.match(String(queued.params.text), '⏳');
  const cancel = JSON.stringify(queued.params.reply_markup);
  assert.match(cancel, /mu:x:[0-9a-f-]{36}/, 'the queued message carries its Cancel button');
  // No worker yet: the job waits in PostgreSQL, nothing is downloaded.
  await new Promise((r) => setTimeout(r, 500));
  assert.is(media.downloads('/watch?v=dQw4w9WgXcQ'), 0);
  // pg-boss keeps the job in its table: the link there is sealed (a private link's URL is its secret).
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const { rows } = await db.query<{ data: string }>('SELECT data::text AS data FROM eventlog_queue.job').finally(() => db.end());
  assert.is(rows.length, 1);
  assert.match(rows[0]!.data, /"sealed": ?"[A-Za-z0-9_-]{40,}"/);
  assert.not.match(rows[0]!.data, /https:|youtu\.be/, 'neither the URL nor the text the user sent is stored in the clear');
  await stop(web);

  await start('worker');
  const audio = await fakes.bot.nextCall('sendAudio', (c) => c.params.chat_id === user.id, 60_000).catch((err: Error) => {
    throw new Error(`${err.message}\nedits: ${fakes.bot.callsOf('editMessageText').map((c) => String(c.params.text)).join(' | ')}\n${lines.filter((l) => /music|queue|job/.test(l)).slice(-15).join('')}`);
  });
  assert.is(audio.params.title, 'Night Drive');
  assert.is(audio.params.performer, 'Aurora Lane');
  assert.is((audio.params.reply_parameters as { message_id: number }).message_id, sent.message!.message_id, 'the audio answers the user\'s message');
  // The progress message the web instance sent is the worker's to end: deleted once the audio is there.
  const removed = await fakes.bot.nextCall('deleteMessage', (c) => c.params.message_id === queued.result.message_id, 10_000);
  assert.is(removed.params.chat_id, user.id);
  assert.is(media.downloads('/watch?v=dQw4w9WgXcQ'), 1);
});

Roles('Cancel on a waiting job: the web instance that took the press ends the message, and no worker ever downloads it', async () => {
  await media.addPage('/watch?v=dQw4w9WgXcQ', { title: 'Night Drive', artist: 'Aurora Lane', seconds: 3 });
  await start('web');
  const user = fakes.bot.createUser({ languageCode: 'ru' });
  fakes.bot.sendText(user, LINK);
  const queued = await fakes.bot.nextCall('sendMessage', (c) => c.params.chat_id === user.id);
  assert.match(String(queued.params.text), 'В очереди');
  const data = /mu:x:[0-9a-f-]{36}/.exec(JSON.stringify(queued.params.reply_markup))![0];
  fakes.bot.pressButton(user, queued.result, data);
  const answer = await fakes.bot.nextCall('answerCallbackQuery');
  assert.match(String(answer.params.text), 'Отменяю');
  const ended = await fakes.bot.nextCall('editMessageText', (c) => c.params.message_id === queued.result.message_id, 10_000);
  assert.match(String(ended.params.text), 'Отменено');

  await start('worker');
  await new Promise((r) => setTimeout(r, 1_500));
  assert.is(media.downloads('/watch?v=dQw4w9WgXcQ'), 0, 'a cancelled job never reaches a worker');
  assert.is(fakes.bot.callsOf('sendAudio').length, 0);
});

Roles('one update delivered to two web instances (Telegram redelivering what a killed one had not acknowledged) is queued, shown and sent once', async () => {
  await media.addPage('/watch?v=dQw4w9WgXcQ', { title: 'Night Drive', artist: 'Aurora Lane', seconds: 3 });
  const hook = { BOT_MODE: 'webhook', WEBHOOK_SECRET: 'hook-secret-0123456789' };
  const webs = [await start('web', hook), await start('web', hook)];
  await start('worker');
  const user = fakes.bot.createUser();
  const update = {
    update_id: 777001,
    message: { message_id: 4242, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: 'private' as const, first_name: user.first_name }, from: user, text: LINK },
  };
  for (const web of webs) {
    assert.is(await fakes.bot.deliverWebhook(`http://127.0.0.1:${web.port}/telegram/webhook`, update, hook.WEBHOOK_SECRET), 200);
  }
  const audio = await fakes.bot.nextCall('sendAudio', (c) => c.params.chat_id === user.id, 60_000);
  assert.is(audio.params.title, 'Night Drive');
  await new Promise((r) => setTimeout(r, 1_500)); // a second job would start within this
  // Once more after the audio is in the file_id cache: the job is found before the cache is asked.
  assert.is(await fakes.bot.deliverWebhook(`http://127.0.0.1:${webs[0]!.port}/telegram/webhook`, update, hook.WEBHOOK_SECRET), 200);
  await new Promise((r) => setTimeout(r, 500));
  assert.is(fakes.bot.callsOf('sendAudio').length, 1, 'one audio');
  assert.is(fakes.bot.callsOf('sendMessage').filter((c) => c.params.chat_id === user.id).length, 1, 'one ⏳ message');
  assert.is(media.downloads('/watch?v=dQw4w9WgXcQ'), 1);
});

Roles('a worker takes no updates, serves no webhook or callback, and is ready without Telegram', async () => {
  const worker = await start('worker', { BOT_MODE: 'webhook', WEBHOOK_SECRET: 'hook-secret-0123456789' });
  const base = `http://127.0.0.1:${worker.port}`;
  const ready = await fetch(`${base}/readyz`);
  assert.is(ready.status, 200, await ready.text());
  assert.is((await fetch(`${base}/telegram/webhook`, { method: 'POST', body: '{}' })).status, 404);
  assert.is((await fetch(`${base}/callback?code=x&state=y`)).status, 404);
  assert.is(fakes.bot.callsOf('getUpdates').length + fakes.bot.callsOf('setWebhook').length + fakes.bot.callsOf('getMe').length, 0);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, 'musicbot_downloads_total');
  assert.match(metrics, 'musicbot_music_shared_queue_jobs{state="waiting"} 0', 'the shared queue\'s depth, read from the database');
  assert.ok(lines.some((l) => l.includes('download worker started')));
});

Roles('web and worker need DATABASE_URL: one readable line, not a half-started bot', () => {
  for (const role of ['web', 'worker']) {
    const env = appEnv(fakes, { dataDir: join(root, 'x'), port: 1, extra: { BOT_ROLE: role } });
    try {
      loadConfig(env);
      assert.unreachable(`BOT_ROLE=${role} without DATABASE_URL was accepted`);
    } catch (err) {
      assert.instance(err, ConfigError);
      assert.match((err as Error).message, `BOT_ROLE=${role} needs DATABASE_URL`);
    }
  }
  assert.throws(() => loadConfig(appEnv(fakes, { dataDir: join(root, 'x'), port: 1, extra: { BOT_ROLE: 'both' } })), /BOT_ROLE must be "all", "web" or "worker"/);
});

Roles.run();
