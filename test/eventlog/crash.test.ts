import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openEventStore } from '../../eventlog/index.ts';
import { exited, spawnFixture } from './fixtures/childProcess.ts';
import { counters, registry, totals } from './fixtures/counterEvents.ts';

const Crash = suite('crash safety (SIGKILL while appending)');

const KILLS = 22;

/** Small seeded PRNG so that a failing run can be repeated with CRASH_SEED. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the writer until it has acknowledged `target` appends (0: right after open), then SIGKILLs it. */
async function runAndKill(dir: string, target: number, acked: Map<string, number>): Promise<void> {
  let count = 0;
  let killed = false;
  const child = spawnFixture('crashWriter', [dir], (line) => {
    const ack = /^ack (\S+) (\d+)$/.exec(line);
    if (ack) {
      acked.set(ack[1]!, Math.max(acked.get(ack[1]!) ?? -1, Number(ack[2])));
      count++;
    }
    if (!killed && (ack || line === 'opened') && count >= target) {
      killed = true;
      child.kill('SIGKILL');
    }
  });
  await exited(child);
  assert.ok(killed, `the writer exited on its own (code ${child.exitCode}) instead of being killed`);
}

Crash('after each of 22 kills the log reopens whole: no torn event, contiguous positions, projections verify', async () => {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
  const random = prng(seed);
  const root = mkdtempSync(join(tmpdir(), 'eventlog-crash-'));
  const dir = join(root, 'data');
  const acked = new Map<string, number>();
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      await runAndKill(dir, Math.floor(random() * 60), acked);
      const where = `(seed ${seed}, kill ${kill + 1})`;
      const store = await openEventStore({ location: dir, registry, projections: [counters, totals] });
      const versions = new Map<string, number>();
      let expected = 0;
      for await (const e of store.readAll()) {
        assert.is(e.meta.globalPosition, expected++, `global positions are contiguous ${where}`);
        const next = (versions.get(e.meta.stream) ?? -1) + 1;
        assert.is(e.meta.streamPosition, next, `stream ${e.meta.stream} positions are contiguous ${where}`);
        versions.set(e.meta.stream, next);
      }
      assert.is(store.headPosition(), expected - 1);
      for (const [stream, position] of acked) {
        assert.ok((versions.get(stream) ?? -1) >= position, `acknowledged append ${stream}@${position} survived ${where}`);
      }
      assert.equal(await store.verify(), [], `projections equal their rebuild ${where}`);
      for (const name of ['counters', 'totals']) {
        const checkpoint = JSON.parse((await store.db.sublevel('checkpoints').get(name))!) as { position: number };
        assert.is(checkpoint.position, store.headPosition(), `checkpoint of ${name} is at the head ${where}`);
      }
      await store.close();
    }
    assert.ok(acked.size > 0, 'the writer acknowledged appends');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

Crash.run();
