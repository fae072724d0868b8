import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createJobDir, removeJobDir, sweepStaleJobDirs } from '../../../src/music/download/tempDirs.ts';

const T = suite('job directories');

T('a job directory is created under the root and removed with its content', async () => {
  const root = mkdtempSync(join(tmpdir(), 'jobs-'));
  try {
    const dir = await createJobDir(root);
    writeFileSync(join(dir, 'source.m4a'), 'x');
    await removeJobDir(dir);
    await removeJobDir(dir); // twice is fine
    assert.equal(readdirSync(root), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

T('directories left by a crash are swept when old; fresh ones and foreign ones stay', async () => {
  const root = mkdtempSync(join(tmpdir(), 'jobs-'));
  try {
    const old = await createJobDir(root);
    const fresh = await createJobDir(root);
    mkdirSync(join(root, 'someone-else'));
    const longAgo = new Date(Date.now() - 7 * 3600_000);
    utimesSync(old, longAgo, longAgo);
    assert.is(await sweepStaleJobDirs(root), 1);
    assert.equal(readdirSync(root).sort(), [fresh.split('/').pop(), 'someone-else'].sort());
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

T.run();
