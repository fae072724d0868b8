/**
 * `replay verify` and `replay rebuild` on a generated data dir: verify passes on a healthy
 * log, catches deliberately corrupted projection rows and checkpoints (exit 1, keys listed,
 * values never printed), and rebuild repairs them.
 */
import { completionsProjection } from '../../../src/link/projections.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLevelDb } from '../../../eventlog/index.ts';
import { keyspaces } from '../../../eventlog/keys.ts';
import { runCli } from '../../../src/devtools/replay/cli.ts';
import { dbLocation } from '../../../src/storage/dataDir.ts';
import { generateLinkLog, type GeneratedLog } from '../../helpers/replayLog.ts';
import { runReplay } from '../../helpers/runReplay.ts';

const Verify = suite('replay verify and rebuild');
let log: GeneratedLog;
const TAMPERED = '{"tampered":"v1.deadbeef.c2VjcmV0LXRoYXQtbXVzdC1ub3QtYmUtcHJpbnRlZA"}';

Verify.before(async () => {
  log = await generateLinkLog();
});
Verify.after(async () => {
  await log.dispose();
});

/** Changes the data dir behind the store's back, as a bug or a bad restore would. */
async function tamper(fn: (ks: ReturnType<typeof keyspaces>) => Promise<void>): Promise<void> {
  const db = await openLevelDb(dbLocation(log.dataDir));
  try {
    await fn(keyspaces(db));
  } finally {
    await db.close();
  }
}

Verify('a healthy data dir verifies with exit 0', async () => {
  const r = await runReplay(['verify'], { dataDir: log.dataDir });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^checked 4 projection\(s\) against 35 event\(s\) in \d+ ms: no drift$/m);
});

Verify('corrupted, missing and extra rows are listed by key with exit 1, values never printed', async () => {
  await tamper(async (ks) => {
    await ks.table('link_state').put('1', TAMPERED);
    await ks.table('user_oauth_tokens').del('link:8');
    await ks.table('oauth_states').put('zz-extra', TAMPERED);
  });
  const r = await runReplay(['verify'], { dataDir: log.dataDir });
  assert.is(r.code, 1);
  assert.match(r.stdout, /DRIFT \(3 row\(s\), 0 checkpoint\(s\)\)/);
  assert.match(r.stdout, /^ {2}different link_state 1$/m);
  assert.match(r.stdout, /^ {2}missing {3}user_oauth_tokens link:8$/m);
  assert.match(r.stdout, /^ {2}extra {5}oauth_states zz-extra$/m);
  assert.match(r.stdout, /replay rebuild/);
  assert.not.match(r.stdout, /tampered|deadbeef/);

  let out = '';
  const code = await runCli(['verify', '--json', '--data-dir', log.dataDir], {}, { stdout: (t) => void (out += t), stderr() {} });
  assert.is(code, 1);
  const json = JSON.parse(out);
  assert.equal(Object.keys(json).sort(), ['checkpoints', 'differences', 'events', 'head', 'ms', 'ok', 'projections']);
  assert.is(json.ok, false);
  assert.equal(json.differences, [
    { projection: 'link_state', key: '1', kind: 'different' },
    { projection: 'user_oauth_tokens', key: 'link:8', kind: 'missing' },
    { projection: 'oauth_states', key: 'zz-extra', kind: 'extra' },
  ]);
});

Verify('a checkpoint that is not at the log head is drift too', async () => {
  await tamper((ks) => ks.checkpoints.put('oauth_completions', JSON.stringify({ version: completionsProjection.version, position: 20 })));
  let out = '';
  await runCli(['verify', '--json', '--data-dir', log.dataDir], {}, { stdout: (t) => void (out += t), stderr() {} });
  assert.equal(JSON.parse(out).checkpoints, [
    { projection: 'oauth_completions', found: { version: completionsProjection.version, position: 20 }, expected: { version: completionsProjection.version, position: 34 } },
  ]);
});

Verify('rebuild prints counts and time, repairs the drift, and verify passes again', async () => {
  const r = await runReplay(['rebuild'], { dataDir: log.dataDir });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^rebuilt 4 projection\(s\) from 35 event\(s\) in \d+ ms \(\d+ ms with open\)$/m);
  assert.match(r.stdout, /^link_state\s+9$/m);
  assert.match(r.stdout, /^oauth_states\s+\d+$/m);
  let out = '';
  assert.is(await runCli(['verify', '--json', '--data-dir', log.dataDir], {}, { stdout: (t) => void (out += t), stderr() {} }), 0);
  assert.equal(JSON.parse(out).differences, []);
  assert.equal(JSON.parse(out).checkpoints, []);
  let json = '';
  assert.is(await runCli(['rebuild', '--json', '--data-dir', log.dataDir], {}, { stdout: (t) => void (json += t), stderr() {} }), 0);
  const report = JSON.parse(json);
  assert.equal(Object.keys(report).sort(), ['events', 'ms', 'projections', 'totalMs']);
  assert.equal(report.projections.map((p: { name: string }) => p.name), ['link_state', 'user_oauth_tokens', 'oauth_states', 'oauth_completions']);
});

Verify.run();
