/**
 * Scale-out end to end (issue 13): bot processes on one PostgreSQL database, the webs in
 * webhook mode behind a round-robin load balancer, fifty listeners sending music links and
 * `/now` through the fake Bot API (which delivers and redelivers as Telegram's server does),
 * one web and one worker SIGKILLed mid-run. Then, as the users would notice: every update
 * answered, nothing answered twice, every audio once, one token refresh per expired link, and
 * `replay verify` clean.
 *
 * Each kill is aimed, not timed: the web dies holding exactly one unacknowledged update (a
 * `/now` whose Spotify call hangs, after its token was refreshed), the worker dies with
 * downloads in hand (held at the fake yt-dlp's gate), so every count below can be exact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { t } from '../src/i18n/translate.ts';
import { urlButton } from './bot/botHarness.ts';
import { appEnv, browserLogin, startAppFakes, type AppFakes } from './helpers/appHarness.ts';
import { startFleet, type BotRole, type Fleet, type FleetPlan } from './helpers/botFleet.ts';
import { startDownloadGate, type DownloadGate, type GateVisit } from './helpers/downloadGate.ts';
import { TRACK_WITH_ISRC } from './helpers/fakeSpotify.ts';
import { startLoadBalancer, type LoadBalancer } from './helpers/loadBalancer.ts';
import { freshDatabase } from './helpers/postgresCluster.ts';
import { runReplay } from './helpers/runReplay.ts';
import { answers, deliveriesOf, eventually, is2xx, linkText, listeners, videoId, type Listener, type SentUpdate } from './helpers/scaleScenario.ts';

/** Two `BOT_ROLE=web` processes behind the balancer and two `BOT_ROLE=worker` processes. */
const PLAN: FleetPlan = { webs: 2, webRole: 'web', workers: 2 };

const SECRET = 'scale-hook-secret-0123456789';
/** Telegram's retry waits (2, 4, 8 … s) in 20 ms steps. */
const WEBHOOK_SECOND_MS = 20;

interface Run {
  fakes: AppFakes;
  gate: DownloadGate;
  lb: LoadBalancer;
  fleet: Fleet;
  database: { url: string; drop(): Promise<void> };
  root: string;
  people: Listener[];
  victim: Listener;
  sent: SentUpdate[];
  victimNow: SentUpdate;
  /** Calls up to the links going out (the linking's own replies) are not counted. */
  fromSeq: number;
  /** Refresh-token grants of the victim when its web was killed. */
  victimRefreshesAtKill: number;
  /** What the killed worker held at the gate when it died. */
  killedWorkerHeld: GateVisit[];
  killedWorkerPid?: number;
  killedWebPid: number;
}

const Scale = suite<Run>(`scale-out: ${PLAN.webs} webs (${PLAN.webRole}) + ${PLAN.workers} workers on PostgreSQL`);

Scale.before(async (run) => {
  run.root = mkdtempSync(join(tmpdir(), 'scale-'));
  run.fakes = await startAppFakes({ bot: { webhookSecondMs: WEBHOOK_SECOND_MS } });
  run.gate = await startDownloadGate();
  run.database = await freshDatabase();
  run.lb = await startLoadBalancer();
  const envOf = (_role: BotRole) =>
    appEnv(run.fakes, {
      dataDir: '',
      port: 0,
      extra: { BOT_MODE: 'webhook', WEBHOOK_SECRET: SECRET, PUBLIC_BASE_URL: run.lb.url, DATABASE_URL: run.database.url, YTDLP_PATH: run.gate.ytDlpPath },
    });
  run.fleet = await startFleet(PLAN, envOf, run.root);
  run.lb.targets = run.fleet.webs.map((w) => w.base);
  await run.fleet.ready();
  try {
    await scenario(run);
  } catch (err) {
    // uvu counts a failed hook but does not print it.
    console.error(err, `\n${run.fleet.describe()}`);
    throw err;
  }
});

Scale.after(async (run) => {
  await run.fleet?.stop();
  await run.lb?.close();
  await run.gate?.close();
  await run.fakes?.close();
  await run.database?.drop();
  if (run.root) rmSync(run.root, { recursive: true, force: true });
});

async function scenario(run: Run): Promise<void> {
  const { fakes, gate, lb, fleet } = run;
  const bot = fakes.bot;
  run.people = listeners(bot);
  const [victim] = run.people;
  run.victim = victim!;
  await linkSpotify(run, run.people.filter((p) => p.spotify === 'expired'), 30);
  await linkSpotify(run, run.people.filter((p) => p.spotify === 'fresh'), 3600);
  for (const p of run.people) if (p.spotifyId) fakes.spotify.setPlayer(p.spotifyId, { kind: 'track', trackId: TRACK_WITH_ISRC.id });
  // The victim's /now will hang at Spotify once, on whichever web takes it.
  fakes.spotify.fail('currently-playing', { kind: 'hang' }, { user: run.victim.spotifyId });

  run.fromSeq = bot.calls.at(-1)?.seq ?? 0;
  run.sent = [];
  for (const p of run.people) {
    for (const video of p.videos) run.sent.push({ listener: p, update: bot.sendText(p.tg, linkText(video)), video });
    if (p !== run.victim) run.sent.push({ listener: p, update: bot.sendCommand(p.tg, 'now') });
  }
  const others = run.people.filter((p) => p !== run.victim);
  await eventually(
    () => others.every((p) => answers(bot, run.fromSeq, run.sent).nowRepliesIn(p.tg.id).length > 0),
    () => `a /now answer for ${others.filter((p) => answers(bot, run.fromSeq, run.sent).nowRepliesIn(p.tg.id).length === 0).length} listeners`,
  );
  await eventually(
    () => fleet.workers.every((d) => gate.held().some((h) => h.pid === d.pid)),
    () => `downloads in hand at every downloader; held: ${JSON.stringify(gate.held())}`,
  );

  await killVictimWeb(run);
  const worker = fleet.workers.find((w) => gate.held().some((h) => h.pid === w.pid))!;
  run.killedWorkerHeld = gate.held().filter((h) => h.pid === worker.pid);
  run.killedWorkerPid = worker.pid;
  await fleet.kill(worker);
  sendWave(run);
  gate.open();

  await eventually(
    () => allAudioArrived(run) && run.sent.every((s) => deliveriesOf(bot, s.update.update_id).some(is2xx)) && progressLeft(run).length === 0,
    () => `unanswered updates: ${run.sent.filter((s) => !deliveriesOf(bot, s.update.update_id).some(is2xx)).length}, missing audio: ${run.sent.filter((s) => s.video && answers(bot, run.fromSeq, run.sent).audioFor(s.update.message!.message_id).length === 0).map((s) => s.video).join(' ')}, progress left: ${progressLeft(run).join(', ')}, LB refused: ${JSON.stringify([...lb.refused])}`,
  );
}

/** Links listeners through the bot and the browser; their access tokens live `ttlSec`. */
async function linkSpotify(run: Run, people: Listener[], ttlSec: number): Promise<void> {
  const { fakes, lb } = run;
  fakes.spotify.setAccessTokenTtl(ttlSec);
  for (const p of people) fakes.spotify.addUser({ id: p.spotifyId! });
  const replyTo = (p: Listener, pattern?: string) =>
    fakes.bot.nextCall('sendMessage', (c) => c.params.chat_id === p.tg.id && (pattern === undefined || String(c.params.text).includes(pattern)), 20_000);
  for (const p of people) fakes.bot.sendCommand(p.tg, 'login');
  const logins = await Promise.all(people.map((p) => replyTo(p)));
  const completions: string[] = [];
  // One browser after another: the fake Spotify logs in as the account set last.
  for (const [i, p] of people.entries()) completions.push((await browserLogin(fakes, urlButton(logins[i]!.result), lb.url, p.spotifyId)).completionId);
  for (const [i, p] of people.entries()) fakes.bot.sendCommand(p.tg, 'start', completions[i]);
  await Promise.all(people.map((p) => replyTo(p, '✅')));
}

/**
 * The victim sends `/now`; once the web holding it has refreshed the victim's expired token and
 * hangs at Spotify – and holds no other update – that web is SIGKILLed.
 */
async function killVictimWeb(run: Run): Promise<void> {
  const { fakes, lb, fleet } = run;
  const update = fakes.bot.sendCommand(run.victim.tg, 'now');
  run.victimNow = { listener: run.victim, update };
  run.sent.push(run.victimNow);
  await eventually(() => fakes.spotify.requests.some((r) => r.failure === 'hang'), () => 'the victim’s /now at Spotify');
  const target = lb.inFlight.find((r) => r.updateId === update.update_id)?.target;
  const web = fleet.webs.find((w) => w.base === target);
  assert.ok(web, `the victim's /now is in flight at a web (in flight: ${JSON.stringify(lb.inFlight)})`);
  await eventually(() => lb.inFlight.every((r) => r.target !== target || r.updateId === update.update_id), () => `${web.name} to hold only the victim's /now`);
  run.victimRefreshesAtKill = refreshes(run, run.victim);
  run.killedWebPid = web.pid;
  await fleet.kill(web);
}

/** Five listeners send one more link after the kills: the dead web must be skipped. */
function sendWave(run: Run): void {
  for (const p of run.people.slice(40, 45)) {
    const video = videoId(run.people.indexOf(p), 5);
    run.sent.push({ listener: p, update: run.fakes.bot.sendText(p.tg, linkText(video)), video });
  }
}

const refreshes = (run: Run, p: Listener) => run.fakes.spotify.count('token', { grantType: 'refresh_token', user: p.spotifyId! });

function allAudioArrived(run: Run): boolean {
  const got = answers(run.fakes.bot, run.fromSeq, run.sent);
  return run.sent.every((s) => !s.video || got.audioFor(s.update.message!.message_id).length > 0);
}

/**
 * Progress messages still shown, as `video: text`. None left means every job has ended (a
 * retried job ends once, on the worker that finished it).
 */
function progressLeft(run: Run): string[] {
  const got = answers(run.fakes.bot, run.fromSeq, run.sent);
  return run.sent.flatMap((s) => {
    if (!s.video) return [];
    const shown = new Map(run.fakes.bot.messagesTo(s.listener.tg.id).map((m) => [m.message_id, m]));
    return got.progressFor(s.update.message!.message_id).flatMap((c) => {
      const left = shown.get((c.result as { message_id: number }).message_id);
      return left ? [`${s.video}: ${'text' in left ? left.text : '?'}`] : [];
    });
  });
}

Scale('every update is answered; the cut one was delivered again, and no update got two answers', (run) => {
  const bot = run.fakes.bot;
  const got = answers(bot, run.fromSeq, run.sent);
  for (const s of run.sent) assert.ok(deliveriesOf(bot, s.update.update_id).some(is2xx), `update ${s.update.update_id} of ${s.listener.tg.id} was answered 2xx`);
  const victimDeliveries = deliveriesOf(bot, run.victimNow.update.update_id);
  assert.not.ok(is2xx(victimDeliveries[0]!), `the killed web never acknowledged the victim's /now (deliveries: ${victimDeliveries})`);
  assert.ok(is2xx(victimDeliveries.at(-1)!), 'Telegram delivered it again, to the web that lives');
  const nowNeeded = t('en', 'spotify-not-linked');
  for (const p of run.people) {
    const replies = got.nowRepliesIn(p.tg.id);
    assert.is(replies.length, 1, `listener ${p.tg.id} (${p.spotify}) got ${replies.length} answers to one /now`);
    const text = String(replies[0]!.params.caption ?? replies[0]!.params.text);
    assert.ok(text.includes(p.spotify === 'none' ? nowNeeded : TRACK_WITH_ISRC.name), `the /now answer of a ${p.spotify} listener: ${text}`);
  }
  for (const s of run.sent.filter((x) => x.video)) {
    const progress = got.progressFor(s.update.message!.message_id).length;
    assert.ok(progress <= 1, `link ${s.video} in chat ${s.listener.tg.id}: ${progress} progress messages`);
  }
  run.fakes.bot.assertNoViolations();
});

Scale('every requested audio arrives once, also those the killed worker held', (run) => {
  const got = answers(run.fakes.bot, run.fromSeq, run.sent);
  const links = run.sent.filter((s) => s.video);
  for (const s of links) {
    const audio = got.audioFor(s.update.message!.message_id);
    assert.is(audio.length, 1, `link ${s.video} in chat ${s.listener.tg.id}: ${audio.length} audios`);
    assert.ok(String(audio[0]!.params.caption).includes(s.video!), `the audio of ${s.video} is that link's`);
  }
  assert.is(links.length, 70, 'fifty listeners, five with three links, five with the popular one too, five after the kills');
  assert.ok(run.killedWorkerHeld.length > 0, 'the worker died with downloads in hand');
  for (const h of run.killedWorkerHeld) {
    assert.ok(run.gate.visits.some((v) => v.video === h.video && v.pid !== run.killedWorkerPid), `${h.video} was downloaded again by a worker that lives`);
  }
});

Scale('exactly one token refresh per listener whose token had expired, the killed web’s included', (run) => {
  assert.is(run.victimRefreshesAtKill, 1, 'the killed web refreshed the victim’s token before it died');
  for (const p of run.people.filter((x) => x.spotify !== 'none')) {
    assert.is(refreshes(run, p), p.spotify === 'expired' ? 1 : 0, `${p.spotifyId} (${p.spotify})`);
  }
});

Scale('replay verify finds every table equal to the log rebuilt', async (run) => {
  const verify = await runReplay(['verify', '--database-url', run.database.url]);
  assert.is(verify.code, 0, verify.stdout + verify.stderr);
});

Scale('the survivors stop cleanly on SIGTERM', async (run) => {
  const codes = await run.fleet.stop();
  for (const m of run.fleet.members) {
    if (m.pid === run.killedWebPid || m.pid === run.killedWorkerPid) continue;
    assert.is(codes[m.name], 0, `${m.name} exit code`);
  }
});

Scale.run();
