/**
 * Measures whether shredded data keys leave the LevelDB files. A wrapped data key is random
 * base64; it counts as "in the files" when any 12-character piece of it is found in a `.log`
 * or `.ldb` file (pieces, because Snappy may split a long string; 72 random bits per piece
 * make a false match negligible). Live keys are the positive control.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { masterKey, openLevelDb, openTokenVault, type RootDb, type TokenVault } from '../../eventlog/index.ts';
import type { ClassicLevel } from 'classic-level';
import { compactVault, scheduleVaultCompaction } from '../../src/storage/vaultCompaction.ts';
import { dbLocation } from '../../src/storage/dataDir.ts';
import { startLinkHarness } from '../helpers/linkHarness.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';

const Compaction = suite('shredded data keys and the LevelDB files');

const KEY = masterKey(Buffer.alloc(32, 3));
let dir: string;

Compaction.before.each(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'ops-cmp-')), 'db');
});
Compaction.after.each(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

function inFiles(location: string, values: readonly string[]): number {
  const files = readdirSync(location)
    .filter((f) => /\.(log|ldb)$/.test(f))
    .map((f) => readFileSync(join(location, f)));
  return values.filter((v) => (v.match(/.{12}/g) ?? []).some((piece) => files.some((b) => b.includes(piece)))).length;
}

/** 40 links with data keys, log-like filler, then 20 shredded. Returns the wrapped boxes. */
async function scenario(db: RootDb, vault: TokenVault, reopen?: () => Promise<{ db: RootDb; vault: TokenVault }>) {
  const keys = () => db.sublevel<string, string>(['vault', 'keys'], { valueEncoding: 'utf8' });
  const boxes: string[] = [];
  for (let i = 0; i < 40; i++) {
    await vault.createDataKey(`link-${i}`);
    boxes.push((JSON.parse((await keys().get(`link-${i}`))!) as { box: string }).box);
  }
  const filler = db.sublevel<string, string>('log', {});
  for (let i = 0; i < 500; i++) await filler.put(String(i).padStart(16, '0'), `event ${i} `.repeat(20));
  if (reopen) ({ db, vault } = await reopen());
  for (let i = 0; i < 20; i++) await vault.shred(`link-${i}`);
  return { db, shredded: boxes.slice(0, 20), live: boxes.slice(20) };
}

Compaction('a plain compactRange leaves shredded keys in the files when key and deletion were flushed together', async () => {
  const db = await openLevelDb(dir);
  const vault = await openTokenVault({ db, masterKeys: [KEY] });
  const { shredded, live } = await scenario(db, vault);
  assert.is(inFiles(dir, shredded), 20, 'before: the write-ahead log holds every shredded key');
  await (db as unknown as ClassicLevel<string, string>).compactRange('!vault!', '!vault"');
  assert.is(inFiles(dir, shredded), 20, 'a single compactRange only flushes them into a table file');
  assert.is(inFiles(dir, live), 20);
  await db.close();
});

Compaction('compactVault drops shredded data keys from the files and keeps the live ones', async () => {
  const db = await openLevelDb(dir);
  const vault = await openTokenVault({ db, masterKeys: [KEY] });
  const { shredded, live } = await scenario(db, vault);
  assert.ok(await compactVault(db));
  assert.is(inFiles(dir, shredded), 0, 'no shredded data key is left in any .log or .ldb file');
  assert.is(inFiles(dir, live), 20, 'positive control: every live key is still found');
  for (let i = 20; i < 40; i++) assert.ok(await vault.hasDataKey(`link-${i}`));
  await db.close();
});

Compaction('compactVault also works when the keys were written to a table file before they were shredded', async () => {
  let db = await openLevelDb(dir);
  const vault = await openTokenVault({ db, masterKeys: [KEY] });
  const result = await scenario(db, vault, async () => {
    await db.close();
    db = await openLevelDb(dir);
    return { db, vault: await openTokenVault({ db, masterKeys: [KEY] }) };
  });
  assert.is(inFiles(dir, result.shredded), 20);
  assert.ok(await compactVault(result.db));
  assert.is(inFiles(dir, result.shredded), 0);
  assert.is(inFiles(dir, result.live), 20);
  await result.db.close();
});

Compaction('on memory-level there is nothing to compact', async () => {
  const db = new MemoryLevel() as unknown as RootDb;
  await db.open();
  assert.is(await compactVault(db), false);
  await db.close();
});

Compaction('after an unlink the scheduled compaction removes the shredded key from the files', async () => {
  const log = createMemoryLogger('debug');
  const h = await startLinkHarness({ location: dir });
  let compactions = 0;
  let waiting: { from: number; resolve: () => void } | undefined;
  /** Resolves after a compaction that started with the log at `position` or later. */
  const compactedThrough = (from: number) => new Promise<void>((resolve) => (waiting = { from, resolve }));
  const scheduler = scheduleVaultCompaction(h.store, log.logger, {
    delayMs: 10,
    onCompacted: (head) => {
      compactions++;
      if (waiting && head >= waiting.from) waiting.resolve();
    },
  });
  try {
    await h.link(1); // LinkConfirmed may replace a key: it schedules one too
    await h.link(2);
    await compactedThrough(h.store.headPosition());
    const keys = h.store.db.sublevel<string, string>(['vault', 'keys'], { valueEncoding: 'utf8' });
    const boxes = new Map((await keys.iterator().all()).map(([id, v]) => [id, (JSON.parse(v) as { box: string }).box]));
    await h.links.unlink(1);
    await compactedThrough(h.store.headPosition());
    const remaining = new Set(await keys.keys().all());
    const gone = [...boxes].filter(([id]) => !remaining.has(id)).map(([, box]) => box);
    const kept = [...boxes].filter(([id]) => remaining.has(id)).map(([, box]) => box);
    assert.is(gone.length, 1);
    assert.is(inFiles(dir, gone), 0, 'the unlinked user\'s data key is gone from the files');
    assert.is(inFiles(dir, kept), kept.length);
    assert.ok(compactions >= 2);
  } finally {
    await scheduler.stop();
    await h.close();
  }
});

Compaction.run();
