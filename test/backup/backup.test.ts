import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MasterKeyMismatchError } from '../../eventlog/index.ts';
import { backupDataDir, inspectBackup, restoreBackup, writeBackup } from '../../src/backup/backup.ts';
import { startControlServer } from '../../src/backup/controlSocket.ts';
import { controlSocketPath, dbLocation } from '../../src/storage/dataDir.ts';
import { OpsError } from '../../src/backup/errors.ts';
import { dumpLinkTables, startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';

const Backup = suite('backup and restore of the data dir');

const KEY = Buffer.alloc(32, 9);
let root: string;

Backup.before.each(() => {
  root = mkdtempSync(join(tmpdir(), 'ops-bk-'));
});
Backup.after.each(() => {
  rmSync(root, { recursive: true, force: true });
});

async function writeTo(file: string, h: LinkHarness) {
  return writeBackup(h.store, createWriteStream(file, { mode: 0o600 }));
}

/**
 * A live data dir (`root/live`) with users 1…`users` linked, backed up to `root/b.mbk`, then
 * closed. With `keepSpotify` its fake Spotify stays up for a harness on a restored copy (the
 * test closes it).
 */
async function backUpLive(options: { users?: number; keepSpotify?: boolean } = {}): Promise<{ file: string; h: LinkHarness }> {
  const h = await startLinkHarness({ location: dbLocation(join(root, 'live')), key: KEY });
  const file = join(root, 'b.mbk');
  try {
    for (let user = 1; user <= (options.users ?? 1); user++) await h.link(user);
    await writeTo(file, h);
  } finally {
    await h.close({ keepSpotify: options.keepSpotify ?? false });
  }
  return { file, h };
}

async function rejectsWith(work: Promise<unknown>, code: string): Promise<OpsError> {
  try {
    await work;
  } catch (err) {
    assert.instance(err, OpsError);
    assert.is((err as OpsError).code, code);
    return err as OpsError;
  }
  throw new Error(`expected ${code}`);
}

Backup('a backup taken while links are written restores to a data dir that verifies, and its tokens open with the same master key', async () => {
  const live = join(root, 'live');
  const h = await startLinkHarness({ location: dbLocation(live), key: KEY });
  const restoredDir = join(root, 'restored');
  try {
    for (let user = 1; user <= 5; user++) await h.link(user);
    const tokens = await Promise.all([1, 2, 3, 4, 5].map((u) => h.links.accessToken(u)));

    // Ten more users link while the backup is being written.
    const linking = Promise.all(Array.from({ length: 10 }, (_, i) => h.link(100 + i)));
    const file = join(root, 'live.mbk');
    const report = await writeTo(file, h);
    await linking;
    assert.ok(report.headPosition >= 14, 'at least the first five links are in the backup');
    assert.ok(report.headPosition <= h.store.headPosition());

    const restored = await restoreBackup(file, restoredDir);
    assert.equal(restored, report);
    const h2 = await startLinkHarness({ location: dbLocation(restoredDir), key: KEY, spotify: h.spotify, clock: h.clock });
    try {
      assert.equal(await h2.store.verify(), [], 'every projection equals a rebuild from the restored log');
      assert.is(h2.store.headPosition(), report.headPosition);
      for (const [i, token] of tokens.entries()) assert.is(await h2.links.accessToken(i + 1), token, `user ${i + 1}'s token opens`);
      // A refresh token restored from the backup is accepted by Spotify (it decrypts to the real one).
      assert.type(await h2.links.accessToken(1, { forceRefresh: true }), 'string');
    } finally {
      await h2.close();
    }
  } finally {
    await h.close();
  }
});

Backup('the restored data dir refuses another master key, as the live one does', async () => {
  const { file, h } = await backUpLive({ keepSpotify: true });
  await restoreBackup(file, join(root, 'restored'));
  try {
    const other = await startLinkHarness({ location: dbLocation(join(root, 'restored')), key: Buffer.alloc(32, 1), spotify: h.spotify });
    await other.close();
    assert.unreachable('opened with a wrong key');
  } catch (err) {
    assert.instance(err, MasterKeyMismatchError);
  } finally {
    await h.spotify.close();
  }
});

Backup('a restore gives back the same bytes: live tables and restored tables are identical', async () => {
  const h = await startLinkHarness({ location: dbLocation(join(root, 'live')), key: KEY });
  const file = join(root, 'b.mbk');
  let before: string;
  try {
    for (let user = 1; user <= 3; user++) await h.link(user);
    await h.links.startLogin(4); // a login in progress is kept too
    await h.links.unlink(2);
    await writeTo(file, h);
    before = await dumpLinkTables(h.store);
  } finally {
    await h.close({ keepSpotify: true });
  }
  await restoreBackup(file, join(root, 'restored'));
  const h2 = await startLinkHarness({ location: dbLocation(join(root, 'restored')), key: KEY, spotify: h.spotify, clock: h.clock });
  try {
    assert.is(await dumpLinkTables(h2.store), before);
  } finally {
    await h2.close();
    await h.spotify.close();
  }
});

Backup('data keys shredded before the backup are not in it (only live keys are copied)', async () => {
  const h = await startLinkHarness({ location: dbLocation(join(root, 'live')), key: KEY });
  const file = join(root, 'b.mbk');
  try {
    await h.link(1);
    await h.link(2);
    const keys = h.store.db.sublevel<string, string>(['vault', 'keys'], { valueEncoding: 'utf8' });
    const wrapped = new Map(await keys.iterator().all());
    assert.is(wrapped.size, 2);
    await h.links.unlink(1);
    await writeTo(file, h);
    const raw = gunzipSync(readFileSync(file));
    const kept = [...wrapped.values()].filter((v) => raw.includes(Buffer.from(v)));
    assert.is(kept.length, 1, 'only the data key of the remaining link is in the backup');
  } finally {
    await h.close();
  }
});

Backup('backupDataDir opens a data dir no process holds and writes a checked file with mode 0600', async () => {
  const dataDir = join(root, 'data');
  const h = await startLinkHarness({ location: dbLocation(dataDir), key: KEY });
  await h.link(1);
  const head = h.store.headPosition();
  await h.close();
  const file = join(root, 'offline.mbk');
  const report = await backupDataDir(dataDir, file);
  assert.is(report.via, 'direct');
  assert.is(report.headPosition, head);
  assert.equal(await inspectBackup(file), { entries: report.entries, headPosition: head, createdAt: report.createdAt });
  const { statSync } = await import('node:fs');
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.equal(readdirSync(root).filter((f) => f.includes('partial')), [], 'no partial file is left');
});

Backup('backupDataDir gets the backup from the running bot through its control socket when the data dir is locked', async () => {
  const dataDir = join(root, 'data');
  const h = await startLinkHarness({ location: dbLocation(dataDir), key: KEY });
  const log = createMemoryLogger();
  const control = await startControlServer({ path: controlSocketPath(dataDir), handlers: { backup: (out) => writeBackup(h.store, out) }, logger: log.logger });
  try {
    await h.link(1);
    await h.link(2);
    const file = join(root, 'online.mbk');
    const report = await backupDataDir(dataDir, file);
    assert.is(report.via, 'running bot');
    assert.is(report.headPosition, h.store.headPosition());
    await restoreBackup(file, join(root, 'restored'));
  } finally {
    await control!.close();
    await h.close({ keepSpotify: true });
  }
  assert.not.ok(existsSync(controlSocketPath(dataDir)), 'the socket file is removed on close');
  const h2 = await startLinkHarness({ location: dbLocation(join(root, 'restored')), key: KEY, spotify: h.spotify, clock: h.clock });
  try {
    assert.equal(await h2.store.verify(), []);
    assert.is((await h2.links.status(2)).state, 'linked');
  } finally {
    await h2.close();
    await h.spotify.close();
  }
});

Backup('a locked data dir without a control socket is reported with what to do', async () => {
  const dataDir = join(root, 'data');
  const h = await startLinkHarness({ location: dbLocation(dataDir), key: KEY });
  try {
    const err = await rejectsWith(backupDataDir(dataDir, join(root, 'x.mbk')), 'BACKUP_UNREACHABLE');
    assert.match(err.message, /stop the bot/);
    assert.not.ok(existsSync(join(root, 'x.mbk')));
  } finally {
    await h.close();
  }
});

Backup('an existing backup file is never overwritten, and a missing data dir is named', async () => {
  const dataDir = join(root, 'data');
  const h = await startLinkHarness({ location: dbLocation(dataDir), key: KEY });
  await h.close();
  const file = join(root, 'taken.mbk');
  writeFileSync(file, 'precious');
  await rejectsWith(backupDataDir(dataDir, file), 'BACKUP_TARGET_EXISTS');
  assert.is(readFileSync(file, 'utf8'), 'precious');
  await rejectsWith(backupDataDir(join(root, 'nothing-here'), join(root, 'n.mbk')), 'BACKUP_SOURCE_MISSING');
});

Backup('restore refuses a data dir that already holds data, and leaves it untouched', async () => {
  const { file } = await backUpLive();
  const before = readdirSync(dbLocation(join(root, 'live'))).sort();
  await rejectsWith(restoreBackup(file, join(root, 'live')), 'RESTORE_TARGET_NOT_EMPTY');
  assert.equal(readdirSync(dbLocation(join(root, 'live'))).sort(), before);
  // An empty db/ directory (e.g. a fresh volume) is fine.
  mkdirSync(dbLocation(join(root, 'fresh')), { recursive: true });
  const report = await restoreBackup(file, join(root, 'fresh'));
  assert.ok(report.entries > 0);
});

Backup('a damaged or cut-off backup restores nothing', async () => {
  const h = await startLinkHarness({ location: dbLocation(join(root, 'live')), key: KEY });
  const file = join(root, 'b.mbk');
  try {
    for (let user = 1; user <= 3; user++) await h.link(user);
    await writeTo(file, h);
  } finally {
    await h.close();
  }
  const raw = gunzipSync(readFileSync(file));
  const { gzipSync } = await import('node:zlib');
  const cases: Array<[string, Buffer]> = [
    ['cut off before its trailer', gzipSync(raw.subarray(0, raw.length - 40))],
    ['one byte changed', gzipSync(Buffer.concat([raw.subarray(0, 200), Buffer.from([raw[200]! ^ 1]), raw.subarray(201)]))],
    ['gzip cut off', readFileSync(file).subarray(0, 300)],
    ['not a backup', gzipSync(Buffer.from('hello world, this is not a backup at all'))],
  ];
  for (const [name, bytes] of cases) {
    const bad = join(root, `${name.replace(/\W+/g, '-')}.mbk`);
    writeFileSync(bad, bytes);
    const target = join(root, `restore-${name.replace(/\W+/g, '-')}`);
    await rejectsWith(restoreBackup(bad, target), 'BACKUP_CORRUPT');
    assert.equal(existsSync(target) ? readdirSync(target) : [], [], `${name}: nothing is left in the data dir`);
  }
  await rejectsWith(restoreBackup(join(root, 'missing.mbk'), join(root, 'r')), 'BACKUP_SOURCE_MISSING');
});

Backup.run();
