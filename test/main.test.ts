/**
 * `src/main.ts` as the operator runs it (`npm start`), in a child process against the fake
 * Bot API and a fake Spotify, stopped with SIGTERM while a link is in flight: the OAuth
 * callback's token exchange is held at a proxy when the signal arrives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { User } from 'grammy/types';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { masterKey, openEventStore, openTokenVault } from '../eventlog/index.ts';
import { createLinkRegistry, linkStream } from '../src/link/linkLog.ts';
import type { LinkEvent } from '../machines/spotifyLink.events.ts';
import { openLinkTables } from '../src/link/linkTables.ts';
import { linkProjections } from '../src/link/projections.ts';
import { dbLocation } from '../src/storage/dataDir.ts';
import { urlButton } from './bot/botHarness.ts';
import { appEnv, freePort, startAppFakes, testMasterKey, type AppFakes } from './helpers/appHarness.ts';
import { spawnMain, type ChildMain } from './helpers/childMain.ts';
import { startHoldingProxy, type HoldingProxy } from './helpers/holdingProxy.ts';

const Main = suite('npm start: graceful shutdown on SIGTERM');

let fakes: AppFakes;
let proxy: HoldingProxy;
let root: string;
let dataDir: string;
let port: number;
let env: Record<string, string>;
const running: ChildMain[] = [];

Main.before.each(async () => {
  fakes = await startAppFakes();
  proxy = await startHoldingProxy(fakes.spotify.accountsUrl, '/api/token');
  root = mkdtempSync(join(tmpdir(), 'main-'));
  dataDir = join(root, 'data');
  port = await freePort();
  env = appEnv(fakes, { dataDir, port, key: testMasterKey(), extra: { SPOTIFY_ACCOUNTS_URL: proxy.url } });
});
Main.after.each(async () => {
  for (const bot of running.splice(0)) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  await proxy.close();
  await fakes.close();
  rmSync(root, { recursive: true, force: true });
});

function start(): ChildMain {
  const bot = spawnMain(env, root);
  running.push(bot);
  return bot;
}

const replyTo = (user: User) => fakes.bot.nextCall('sendMessage', (c) => c.params.chat_id === user.id, 30_000);

/** /login in Telegram, the Spotify page, then the browser goes to the app's callback (not awaited). */
async function callbackInFlight(user: User): Promise<{ visit: Promise<number> }> {
  fakes.bot.sendCommand(user, 'login');
  const login = await replyTo(user);
  fakes.spotify.setLoginOutcome({ as: 'alice' });
  const redirect = await fakes.spotify.login(urlButton(login.result));
  // Wrapped: an async function returning a bare promise would wait for it.
  const visit = fetch(redirect.location, { redirect: 'manual' }).then(
    async (res) => (await res.arrayBuffer(), res.status),
    () => 0, // the connection was cut
  );
  return { visit };
}

/** Opens the data dir as the next start would and checks the user's stream is whole. */
async function inspect(userId: number) {
  const store = await openEventStore<LinkEvent>({ location: dbLocation(dataDir), registry: createLinkRegistry(), projections: [...linkProjections] });
  try {
    const vault = await openTokenVault({ db: store.db, masterKeys: [masterKey(Buffer.from(env.TOKEN_ENCRYPTION_KEY!, 'base64'))], runExclusive: store.runExclusive });
    const differences = await store.verify();
    const events = await store.readStream(linkStream(userId));
    const types = events.map((e) => e.type);
    const tables = openLinkTables(store);
    const row = await tables.linkState.get(userId);
    const completion = await tables.completionOfUser.get(userId);
    const completionRow = completion ? await tables.completions.get(completion) : undefined;
    const keyId = (events[0]?.data as { keyId?: string } | undefined)?.keyId;
    return { differences, types, version: row?.version, completionRow, hasKey: keyId ? await vault.hasDataKey(keyId) : false };
  } finally {
    await store.close();
  }
}

/** "Either fully appended or not at all": the tables agree with the stream, whichever it is. */
function assertWhole(state: Awaited<ReturnType<typeof inspect>>) {
  assert.equal(state.differences, [], 'every projection equals a rebuild from the log');
  assert.is(state.version, state.types.length - 1, 'link_state is at the stream head');
  if (state.types.includes('GrantReceived')) {
    assert.ok(state.completionRow, 'a received grant has its completion row');
    assert.ok(state.hasKey, 'and the data key its tokens are sealed under');
  } else {
    assert.is(state.completionRow, undefined, 'no completion without a grant');
  }
}

async function stopAndExpectCleanExit(bot: ChildMain) {
  bot.child.kill('SIGTERM');
  const exit = await bot.exited;
  assert.equal(exit, { code: 0, signal: null }, `exit; stderr: ${bot.other.join('').slice(-1000)}`);
  assert.ok(bot.lines.some((l) => l.msg === 'stopped'), 'the stop is logged');
}

Main('a token exchange in flight when SIGTERM arrives finishes and is recorded whole; exit 0; the next start is clean', async () => {
  const bot = start();
  const listening = await bot.waitFor((l) => l.msg === 'HTTP server listening');
  assert.is(listening.port, port);
  await bot.waitFor((l) => l.msg === 'bot started');
  const alice = fakes.bot.createUser();
  const { visit } = await callbackInFlight(alice);
  const held = await proxy.nextHeld(); // the app is now waiting for Spotify's token endpoint
  bot.child.kill('SIGTERM');
  await bot.waitFor((l) => l.msg === 'stopping');
  held.release();
  assert.is(await visit, 303, 'the callback in flight was answered before the server closed');
  const exit = await bot.exited;
  assert.equal(exit, { code: 0, signal: null }, `exit; stderr: ${bot.other.join('').slice(-1000)}`);
  const stopped = bot.lines.find((l) => l.msg === 'stopped')!;
  assert.equal(stopped.cutOff, []);
  const output = JSON.stringify(bot.lines) + bot.other.join('');
  assert.equal(fakes.spotify.leaksIn(output), [], 'no Spotify secret in the output');
  assert.not.ok(output.includes(fakes.bot.token.split(':')[1]!), 'no bot token in the output');

  const state = await inspect(alice.id);
  assertWhole(state);
  assert.equal(state.types, ['LoginStarted', 'GrantReceived'], 'the grant was appended before LevelDB closed');

  // The next start on the same data dir opens it, works, and stops cleanly again.
  proxy.hold(false);
  const again = start();
  await again.waitFor((l) => l.msg === 'bot started');
  fakes.bot.sendCommand(alice, 'help');
  await replyTo(alice);
  await stopAndExpectCleanExit(again);
  assertWhole(await inspect(alice.id));
});

Main('a token exchange that never answers delays the stop by at most the grace period: the log stays whole, exit 0', async () => {
  const bot = start();
  await bot.waitFor((l) => l.msg === 'bot started');
  const alice = fakes.bot.createUser();
  const { visit } = await callbackInFlight(alice);
  await proxy.nextHeld(); // never released

  await stopAndExpectCleanExit(bot);
  assert.ok([0, 500, 502, 503].includes(await visit), 'the browser got an error page or a closed connection');
  const state = await inspect(alice.id);
  assertWhole(state);
  assert.ok(!state.types.includes('GrantReceived'), 'no grant without tokens');
  assert.is(state.types[0], 'LoginStarted');

  const again = start();
  await again.waitFor((l) => l.msg === 'bot started');
  await stopAndExpectCleanExit(again);
  assertWhole(await inspect(alice.id));
});

Main('SIGINT (Ctrl-C) stops the bot the same way', async () => {
  const bot = start();
  await bot.waitFor((l) => l.msg === 'bot started');
  bot.child.kill('SIGINT');
  assert.equal(await bot.exited, { code: 0, signal: null });
  assert.ok(bot.lines.some((l) => l.msg === 'stopping' && l.signal === 'SIGINT'));
});

Main.run();
