/**
 * The replay CLI on a generated classic-level data dir (nine users, every event type), run as
 * a child process: `users`, `history`, `at`, `--json`, `--help`, usage errors, and that no
 * token, code, state, verifier, completion id, ciphertext or hash is ever printed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LINK_EVENT_TYPES } from '../../../machines/spotifyLink.events.ts';
import { generateLinkLog, LOG_FINAL_STATES, LOG_USERS, tempDataDir, type GeneratedLog } from '../../helpers/replayLog.ts';
import { runReplay } from '../../helpers/runReplay.ts';
import { runCli } from '../../../src/devtools/replay/cli.ts';
import { dbLocation } from '../../../src/storage/dataDir.ts';

const Cli = suite('replay CLI');
let log: GeneratedLog;
const USER_IDS = Object.values(LOG_USERS);

Cli.before(async () => {
  log = await generateLinkLog();
  assert.equal(log.eventTypes, [...LINK_EVENT_TYPES], 'the generated log holds every event type');
});
Cli.after(async () => {
  await log.dispose();
});

/** Every key and value of the LevelDB (to prove a read wrote nothing). */
async function dump(dataDir: string): Promise<string> {
  const db = new ClassicLevel<string, string>(dbLocation(dataDir));
  const hash = createHash('sha256');
  for await (const [k, v] of db.iterator()) hash.update(`${k}\0${v}\0`);
  await db.close();
  return hash.digest('hex');
}

/** Every file of the data dir, byte for byte. */
function files(dataDir: string): Record<string, string> {
  const dir = dbLocation(dataDir);
  return Object.fromEntries(readdirSync(dir).map((n) => [n, createHash('sha256').update(readFileSync(join(dir, n))).digest('hex')]));
}

Cli('users lists every user with the state their history left them in', async () => {
  const r = await runReplay(['users'], { dataDir: log.dataDir });
  assert.is(r.code, 0, r.stderr);
  for (const id of USER_IDS) {
    assert.match(r.stdout, new RegExp(`^${id}\\s+${LOG_FINAL_STATES[id]!.replace('.', '\\.')}\\s`, 'm'));
  }
  assert.match(r.stdout, /9 user\(s\), \d+ event\(s\) in the log/);
  let out = '';
  assert.is(await runCli(['users', '--json', '--data-dir', log.dataDir], {}, { stdout: (t) => void (out += t), stderr() {} }), 0);
  const json = JSON.parse(out);
  assert.equal(Object.keys(json).sort(), ['dataDir', 'head', 'users', 'warnings']);
  assert.equal(json.warnings, []);
  assert.equal(json.users.map((u: { userId: number; state: string }) => [u.userId, u.state]), USER_IDS.map((id) => [id, LOG_FINAL_STATES[id]]));
  const relinked = json.users[0];
  assert.equal(Object.keys(relinked).sort(), ['events', 'lastEvent', 'spotifyUserId', 'state', 'userId']);
  assert.is(relinked.spotifyUserId, '‹redacted›', 'sealed personal data: the tool holds no data key');
  assert.is(relinked.lastEvent.type, 'RelinkReminderSent');
  assert.match(relinked.lastEvent.time, /^\d{4}-\d\d-\d\dT/);
});

Cli('history shows each event with position, time, type and the state before → after', async () => {
  const r = await runReplay(['history', String(LOG_USERS.relinked)], { dataDir: log.dataDir });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^user 1 \(link-1\): 9 event\(s\), now linked$/m);
  assert.match(r.stdout, /^#0\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+LoginStarted\s+unlinked → awaitingCallback\.pending\s+\(global 0\)$/m);
  assert.match(r.stdout, /^#3\s+\S+\s+RefreshStarted\s+linked → refreshing/m);
  assert.match(r.stdout, /^#8\s+\S+\s+RelinkReminderSent\s+linked → linked/m);
  assert.match(r.stdout, /accessToken=‹redacted›\s+refreshToken=‹redacted›/);
  assert.match(r.stdout, /stateHash=‹redacted›\s+verifier=‹redacted›/);
  assert.match(r.stdout, /spotifyUserId=‹redacted›\s+displayName=‹redacted›/, 'personal data is sealed like the tokens');
  assert.not.match(r.stdout, /carol|Carol|alice|Alice/, 'no Spotify user id or name');

  const json = (await runReplay(['history', '1', '--json', '--last', '2'], { dataDir: log.dataDir })).json();
  assert.equal(Object.keys(json).sort(), ['events', 'problems', 'state', 'stream', 'total', 'userId']);
  assert.is(json.total, 9);
  assert.equal(json.events.map((e: { position: number }) => e.position), [7, 8]);
  const e = json.events[0];
  assert.equal(Object.keys(e).sort(), ['after', 'before', 'data', 'globalPosition', 'position', 'time', 'type', 'v']);
  assert.equal([e.type, e.before, e.after], ['LinkConfirmed', 'awaitingCallback.confirming', 'linked']);
});

Cli('no token, code, state, verifier, completion id, ciphertext or hash appears in any output', async () => {
  // Two real runs of the richest stream, then every user and command in-process (same code,
  // no process start-up: the sweep would otherwise take a minute).
  const spawned = [
    await runReplay(['history', String(LOG_USERS.relinked)], { dataDir: log.dataDir }),
    await runReplay(['history', String(LOG_USERS.relinked), '--json'], { dataDir: log.dataDir }),
  ];
  let inProcess = '';
  const io = { stdout: (t: string) => void (inProcess += t), stderr: (t: string) => void (inProcess += t) };
  for (const id of USER_IDS) {
    for (const json of [[], ['--json']]) await runCli(['history', String(id), '--data-dir', log.dataDir, ...json], {}, io);
    for (const position of ['0', '1', '2']) await runCli(['at', String(id), position, '--json', '--data-dir', log.dataDir], {}, io);
  }
  await runCli(['users', '--json', '--data-dir', log.dataDir], {}, io);
  const output = spawned.map((r) => r.stdout + r.stderr).join('\n') + inProcess;
  assert.ok(log.secrets.length > 50, 'the fixture has secrets to look for');
  assert.equal(log.secrets.filter((s) => output.includes(s)), []);
  assert.not.match(output, /v1\.[0-9a-f]{8}\./, 'no sealed value');
  assert.not.match(output, /[0-9a-f]{64}/, 'no hash');
  const shown = (output.match(/(accessToken|refreshToken|verifier|stateHash|completionHash)["=:]+\s*"?‹redacted›/g) ?? []).length;
  assert.ok(shown >= 2 * 2 * 24, `every sealed or hashed field is shown, redacted (${shown})`);
});

Cli('at travels to a stream position or a moment and prints the state then', async () => {
  const json = await runReplay(['at', '1', '3', '--json'], { dataDir: log.dataDir });
  // The other cases in-process: the parsing and folding are the same code.
  const run = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args, '--data-dir', log.dataDir], {}, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    return { code, stdout, stderr };
  };
  const byPosition = await run('at', '1', '3');
  const byTime = await run('at', '1', '2030-01-01T00:00:00Z');
  const before = await run('at', '1', '2000-01-01');
  const beyond = await run('at', '1', '99');
  assert.is(byPosition.code, 0, byPosition.stderr);
  assert.match(byPosition.stdout, /^user 1 as of position 3: refreshing$/m);
  assert.match(byPosition.stdout, /last event applied: #3 \(\S+ RefreshStarted\); 5 later event\(s\) not applied/);
  assert.match(byPosition.stdout, /link\.spotifyUserId: ‹redacted›/, 'sealed personal data');
  assert.match(byTime.stdout, /: linked$/m);
  assert.match(byTime.stdout, /link\.spotifyUserId: ‹redacted›/);
  assert.match(before.stdout, /: unlinked$/m);
  assert.match(before.stdout, /before its first event/);
  assert.is(beyond.code, 1);
  assert.match(beyond.stderr, /user 1 has 9 event\(s\): positions 0–8/);
  const j = json.json();
  assert.equal(Object.keys(j).sort(), ['asOf', 'event', 'eventsAfter', 'state', 'summary', 'userId']);
  assert.equal(j.asOf, { position: 3 });
  assert.is(j.event.type, 'RefreshStarted');
  assert.is(j.summary.state, 'refreshing');
});

Cli('reads write nothing: the log and tables are unchanged, and with --copy not even a file', async () => {
  const before = await dump(log.dataDir);
  assert.is((await runReplay(['verify'], { dataDir: log.dataDir })).code, 0);
  const quiet = { stdout() {}, stderr() {} };
  for (const args of [['users'], ['history', '1'], ['at', '1', '2']]) assert.is(await runCli([...args, '--data-dir', log.dataDir], {}, quiet), 0);
  assert.is(await dump(log.dataDir), before);
  const filesBefore = files(log.dataDir);
  assert.is((await runReplay(['verify', '--copy'], { dataDir: log.dataDir })).code, 0);
  for (const args of [['users'], ['history', '1'], ['at', '1', '2']]) assert.is(await runCli([...args, '--copy', '--data-dir', log.dataDir], {}, quiet), 0);
  assert.equal(files(log.dataDir), filesBefore);
});

Cli('unknown users, missing data dirs and bad arguments say what is wrong, with exit 1 or 2', async () => {
  const empty = await tempDataDir('no-log');
  const run = async (args: string[], dataDir = log.dataDir) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args, '--data-dir', dataDir], {}, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  };
  const unknown = await runReplay(['history', '12345'], { dataDir: log.dataDir });
  const badId = await run(['history', 'alice']);
  const missing = await run(['users'], empty);
  const badTime = await run(['at', '1', 'yesterday']);
  const noCommand = await run([]);
  const wrongCommand = await run(['frobnicate']);
  const extraOption = await run(['users', '--last', '3']);
  const missingJson = await run(['users', '--json'], empty);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /user 12345 has no events/);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /no event log in .*no-log/);
  assert.match(missing.stderr, /--data-dir/);
  assert.not.ok(existsSync(dbLocation(empty)), 'no empty LevelDB is created');
  assert.is(badId.code, 2);
  assert.match(badId.stderr, /user id must be a positive integer/);
  assert.is(badTime.code, 2);
  assert.match(badTime.stderr, /ISO 8601/);
  assert.is(noCommand.code, 2);
  assert.match(noCommand.stderr, /commands:/);
  assert.is(wrongCommand.code, 2);
  assert.match(wrongCommand.stderr, /unknown command "frobnicate"/);
  assert.is(extraOption.code, 2);
  assert.is(missingJson.code, 1);
  assert.is(missingJson.json().error.code, 'NO_DATA_DIR');
  await rm(empty, { recursive: true, force: true });
});

Cli('--help explains each command and the exit codes', async () => {
  const help = async (...args: string[]) => {
    let stdout = '';
    const code = await runCli(args, {}, { stdout: (t) => void (stdout += t), stderr: (t) => void (stdout += t) });
    return { code, stdout, stderr: '' };
  };
  const runs: Array<{ code: number | null; stdout: string }> = [await runReplay(['--help'])];
  for (const c of ['users', 'history', 'at', 'rebuild', 'verify']) runs.push(await help(c, '--help'));
  runs.push(await help('help', 'at'));
  for (const r of runs) {
    assert.is(r.code, 0);
    assert.match(r.stdout, /exit codes: 0 ok · 1 .* · 2 usage/);
  }
  assert.match(runs[0]!.stdout, /history <userId>/);
  assert.match(runs[0]!.stdout, /--data-dir <dir>/);
  assert.match(runs[3]!.stdout, /^usage: replay at <userId> <position\|ISO time> \[options\]$/m);
  assert.match(runs[4]!.stdout, /--copy is refused/);
  assert.is(runs[6]!.stdout, runs[3]!.stdout);
});

Cli('DATA_DIR is the default data dir', async () => {
  const r = await runReplay(['users', '--json'], { env: { DATA_DIR: log.dataDir } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.json().users.length, 9);
});

Cli.run();
