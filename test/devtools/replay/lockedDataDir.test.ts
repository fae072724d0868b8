/**
 * A data dir held by the running bot: the CLI says so in one line with the two ways out
 * (stop the bot, or `--copy`), and `--copy` reads a consistent copy – appends made by the
 * bot up to that moment included – while the bot keeps it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateLinkLog, LOG_USERS, type GeneratedLog } from '../../helpers/replayLog.ts';
import { runReplay } from '../../helpers/runReplay.ts';

const Locked = suite('replay on a data dir the bot holds');
let log: GeneratedLog;

Locked.before(async () => {
  log = await generateLinkLog({ keepOpen: true });
});
Locked.after(async () => {
  await log.dispose();
});

Locked('a held data dir gives one clear line and the two ways out', async () => {
  const r = await runReplay(['users'], { dataDir: log.dataDir });
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.is(lines[0], `replay: data dir ${log.dataDir} is in use by another process (the running bot?)`);
  assert.match(r.stderr, /1\. stop the bot, then run this command again/);
  assert.match(r.stderr, /2\. add --copy to work on a consistent copy/);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
});

Locked('--json reports the same as a JSON error', async () => {
  const r = await runReplay(['history', '1', '--json'], { dataDir: log.dataDir });
  assert.is(r.code, 1);
  const { error } = r.json();
  assert.is(error.code, 'DATA_DIR_LOCKED');
  assert.match(error.hint, /--copy/);
});

Locked('rebuild needs the bot stopped: --copy is refused, not silently useless', async () => {
  const held = await runReplay(['rebuild'], { dataDir: log.dataDir });
  assert.is(held.code, 1);
  assert.match(held.stderr, /stop the bot/);
  assert.not.match(held.stderr, /2\. add --copy/);
  const copy = await runReplay(['rebuild', '--copy'], { dataDir: log.dataDir });
  assert.is(copy.code, 2);
  assert.match(copy.stderr, /cannot work on a --copy/);
});

Locked('--copy reads while the bot runs and sees what it appended', async () => {
  await log.harness!.links.unlink(LOG_USERS.pending);
  const r = await runReplay(['history', String(LOG_USERS.pending), '--copy', '--json'], { dataDir: log.dataDir });
  assert.is(r.code, 0, r.stderr);
  const { events, state } = r.json();
  assert.equal(events.map((e: { type: string }) => e.type), ['LoginStarted', 'Unlinked']);
  assert.is(state, 'unlinked');
  const verify = await runReplay(['verify', '--copy'], { dataDir: log.dataDir });
  assert.is(verify.code, 0, verify.stdout + verify.stderr);
  assert.is(await log.harness!.store.streamVersion('link-5'), 1, 'the bot still holds and uses its store');
});

Locked.run();
