import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DataDirLockedError, openEventStore, openLevelDb } from '../../eventlog/index.ts';
import { exited, waitForLine } from './fixtures/childProcess.ts';
import { registry } from './fixtures/counterEvents.ts';
import { rejects } from '../helpers/rejects.ts';

const Lock = suite<{ dir: string }>('data dir lock');

Lock.before.each((ctx) => {
  ctx.dir = join(mkdtempSync(join(tmpdir(), 'eventlog-lock-')), 'data');
});
Lock.after.each(({ dir }) => rmSync(join(dir, '..'), { recursive: true, force: true }));

const lockedMessage = (dir: string) => (e: unknown) =>
  e instanceof DataDirLockedError &&
  e.code === 'DATA_DIR_LOCKED' &&
  e.message === `data dir ${dir} is in use by another process` &&
  !e.message.includes('\n');

Lock('a data dir held by another process gives one clear line, and opens once released', async ({ dir }) => {
  const { child, line } = waitForLine('holdDataDir', [dir], /^ready$/);
  await line;
  await rejects(openEventStore({ location: dir, registry }), lockedMessage(dir));
  child.stdin!.end();
  await exited(child);
  const store = await openEventStore({ location: dir, registry });
  await store.close();
});

Lock('opening the same data dir twice in one process gives the same message', async ({ dir }) => {
  const db = await openLevelDb(dir);
  await rejects(openLevelDb(dir), lockedMessage(dir));
  await db.close();
});

Lock.run();
