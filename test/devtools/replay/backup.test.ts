/**
 * `replay backup` and `replay restore`: a backup of a generated data dir restores into an
 * empty one that verifies with no drift and lists the same users; a backup never overwrites
 * a file and a restore never overwrites bot data; a restored data dir is private (0700, files
 * 0600) like the one the bot creates.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateLinkLog, tempDataDir, type GeneratedLog } from '../../helpers/replayLog.ts';
import { runReplay } from '../../helpers/runReplay.ts';

const Backup = suite('replay backup and restore');
let log: GeneratedLog;
let scratch: string;

Backup.before(async () => {
  log = await generateLinkLog();
  scratch = await tempDataDir('backup');
});
Backup.after(async () => {
  await log.dispose();
  await rm(scratch, { recursive: true, force: true });
});

Backup('a backup restores into an empty data dir that verifies and lists the same users', async () => {
  const file = join(scratch, 'bot.backup');
  const taken = await runReplay(['backup', file, '--json'], { dataDir: log.dataDir });
  assert.is(taken.code, 0, taken.stderr);
  assert.ok(taken.json().entries > 0);
  const raw = await readFile(file);
  for (const secret of log.secrets) assert.not.ok(raw.includes(secret), 'no secret in plaintext inside the backup');

  const target = join(scratch, 'restored');
  const restored = await runReplay(['restore', file], { dataDir: target });
  assert.is(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, /^restored from .*: \d+ entries/m);

  const verified = await runReplay(['verify'], { dataDir: target });
  assert.is(verified.code, 0, verified.stdout + verified.stderr);
  const before = await runReplay(['users', '--json'], { dataDir: log.dataDir });
  const after = await runReplay(['users', '--json'], { dataDir: target });
  assert.equal(after.json().users, before.json().users);
  assert.is(after.json().head, before.json().head);
});

Backup('an existing backup file and a data dir with bot data are refused with exit 1', async () => {
  const file = join(scratch, 'twice.backup');
  assert.is((await runReplay(['backup', file], { dataDir: log.dataDir })).code, 0);
  const again = await runReplay(['backup', file], { dataDir: log.dataDir });
  assert.is(again.code, 1);
  assert.ok(again.stdout.trim().length > 0 && !again.stdout.includes('\n    at '), 'one readable line, no stack');
  const intoLive = await runReplay(['restore', file], { dataDir: log.dataDir });
  assert.is(intoLive.code, 1);
});

Backup('a restore creates the data dir 0700 and its files 0600, private like the bot\'s own', async () => {
  const file = join(scratch, 'modes.backup');
  assert.is((await runReplay(['backup', file], { dataDir: log.dataDir })).code, 0);
  // A data dir that does not exist yet, as on a new server: the restore creates it.
  const target = join(scratch, 'new-server', 'data');
  const restored = await runReplay(['restore', file], { dataDir: target });
  assert.is(restored.code, 0, restored.stderr);
  const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);
  assert.is(await mode(target), '700', 'the data dir');
  assert.is(await mode(join(target, 'db')), '700', 'the LevelDB dir');
  const names = await readdir(join(target, 'db'));
  assert.ok(names.includes('CURRENT'));
  for (const name of names) assert.is(await mode(join(target, 'db', name)), '600', `db/${name}`);
});

Backup.run();
