/**
 * `copyLevelDir`: a copy of a LevelDB directory taken while the bot keeps appending is a
 * consistent store – it opens, every record decodes, positions are contiguous and the
 * projection tables match a fresh fold of the copied log.
 */
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyLevelDir, removeCopy } from '../../../src/devtools/replay/copyDataDir.ts';
import { openLogReader } from '../../../src/devtools/replay/dataDir.ts';
import { dbLocation } from '../../../src/storage/dataDir.ts';
import { ReplayError } from '../../../src/devtools/replay/errors.ts';
import { verifyProjections } from '../../../src/devtools/replay/verifyProjections.ts';
import { linkProjections } from '../../../src/link/projections.ts';
import { startLinkHarness } from '../../helpers/linkHarness.ts';

const Copy = suite('copyLevelDir');

Copy('copies taken during a stream of appends are consistent stores', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'copy-src-'));
  const h = await startLinkHarness({ location: dbLocation(dataDir) });
  let writing = true;
  let next = 1;
  const writer = (async () => {
    while (writing) await Promise.all(Array.from({ length: 8 }, () => h.links.startLogin(next++)));
  })();
  // Bulk writes beside the log (synced, like the bot's appends) make LevelDB flush memtables
  // (every 4 MB) and compact while we copy.
  const noise = h.store.db.sublevel<string, string>('noise', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  const filler = 'x'.repeat(64 * 1024);
  let bulk = 0;
  const churn = (async () => {
    for (let i = 0; writing; i++) {
      await noise.put(`k${i % 256}`, filler + i, { sync: true } as never);
      bulk++;
    }
  })();
  const flushed = async (): Promise<boolean> => (await readdir(dbLocation(dataDir))).some((n) => n.endsWith('.ldb'));
  try {
    // At least 5 copies, and more until LevelDB has flushed a memtable into a table file: on a
    // loaded machine 5 copies can end before the churn has written the first 4 MB.
    for (let i = 0; i < 5 || (!(await flushed()) && i < 200); i++) {
      const target = await mkdtemp(join(tmpdir(), 'copy-dst-'));
      await copyLevelDir(dbLocation(dataDir), { into: dbLocation(target) });
      const reader = await openLogReader(target, { copy: false });
      try {
        let expected = 0;
        for await (const e of reader.store.readAll()) assert.is(e.meta.globalPosition, expected++, 'positions are contiguous');
        assert.is(reader.store.headPosition(), expected - 1);
        const report = await verifyProjections(reader, [...linkProjections]);
        assert.equal(report.differences, [], 'tables match the copied log');
        assert.equal(report.checkpoints, [], 'checkpoints sit at the copied head');
      } finally {
        await reader.close();
        await rm(target, { recursive: true, force: true });
      }
    }
    assert.ok(await flushed(), `LevelDB flushed memtables meanwhile (${bulk} bulk writes)`);
  } finally {
    writing = false;
    await Promise.all([writer, churn]);
    await h.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  assert.ok(next > 8, 'the bot kept appending meanwhile');
});

Copy('a copy during which LevelDB switches its files is taken again, and is consistent', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'copy-churn-'));
  const h = await startLinkHarness({ location: dbLocation(dataDir) });
  await h.link(1);
  const noise = h.store.db.sublevel<string, string>('noise', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  const filler = 'x'.repeat(64 * 1024);
  const target = await mkdtemp(join(tmpdir(), 'copy-dst-'));
  const retries: number[] = [];
  let burst = false;
  try {
    await copyLevelDir(dbLocation(dataDir), {
      into: dbLocation(target),
      onRetry: (attempt) => retries.push(attempt),
      async copyFile(from, to) {
        await copyFile(from, to);
        if (burst || !from.endsWith('.log')) return;
        burst = true;
        // 5 MB in the middle of the copy: the memtable is full, LevelDB starts a new log and table.
        for (let i = 0; i < 80; i++) await noise.put(`k${i}`, filler + i);
        await h.links.unlink(1);
      },
    });
    // LevelDB may still be flushing in the background during the next pass: at least one retry.
    assert.ok(retries.length >= 1 && retries[0] === 1, 'the first pass was thrown away');
    const reader = await openLogReader(target, { copy: false });
    try {
      assert.equal((await reader.store.readStream('link-1')).map((e) => e.type), ['LoginStarted', 'GrantReceived', 'LinkConfirmed', 'Unlinked']);
      assert.equal((await verifyProjections(reader, [...linkProjections])).differences, []);
    } finally {
      await reader.close();
    }
  } finally {
    await h.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(target, { recursive: true, force: true });
  }
});

Copy('a directory that is not a LevelDB is refused, and nothing is left behind', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'not-leveldb-'));
  await writeFile(join(dir, 'README'), 'hello');
  try {
    await copyLevelDir(dir);
    assert.unreachable('should refuse');
  } catch (err) {
    assert.instance(err, ReplayError);
    assert.is((err as ReplayError).code, 'NO_DATA_DIR');
  } finally {
    await removeCopy(dir);
  }
});

Copy.run();
