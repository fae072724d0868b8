/**
 * The PostgreSQL job queue across processes, as the bot's users would notice it: two worker
 * processes never run more than the global cap between them, and a worker killed with SIGKILL
 * in the middle of a job costs the job one retry on the other worker (done exactly once), while
 * a job whose workers die twice is reported failed to the submitter; a worker that stops
 * gracefully hands its job back without spending that retry.
 */
import type { ChildProcess } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { testDatabase } from '../helpers/postgresCluster.ts';
import { openTestQueue, spawnWorker, stopWorker, type TestProgress } from '../helpers/queueFixtures.ts';

// Top level on purpose: without PostgreSQL this file fails with the helper's message.
// A database of its own on the run's shared cluster (a cluster of its own when run alone).
const database = await testDatabase();
const cluster = { url: database.url, stop: database.drop };

const Processes = suite('PostgreSQL job queue across processes');
// Four worker processes of 2 jobs each (8 > the global cap of 4), started once: the kill tests
// use them up one by one (three kills), so one is left for the last job. The submitter plays
// the web instance and runs no jobs.
const QUEUE = 'procs';
let workers: ChildProcess[] = [];
let web: Awaited<ReturnType<typeof openTestQueue>>;
Processes.before(async () => {
  web = await openTestQueue(cluster.url, QUEUE);
  workers = await Promise.all([1, 2, 3, 4].map(() => spawnWorker(cluster.url, QUEUE, 2, 4)));
});
Processes.after(async () => {
  await Promise.all(workers.map(stopWorker));
  await web.close();
  await cluster.stop();
});

Processes('four worker processes with 2 slots each run at most 4 jobs at once between them (the global cap)', async () => {
  {
    const log: TestProgress[] = [];
    const ids: string[] = [];
    for (let user = 1; user <= 12; user++) {
      const r = await web.submit(user, { tag: `u${user}`, holdMs: 300 });
      assert.ok(r.accepted);
      if (!r.accepted) continue;
      ids.push(r.jobId);
      web.onProgress(r.jobId, (p) => log.push(p));
    }
    const outcomes = await Promise.all(ids.map((id) => web.outcome(id)));
    assert.ok(outcomes.every((o) => o.status === 'done'), JSON.stringify(outcomes));
    // NOTIFY delivers in commit order, and a job reports its end before it gives its slot back.
    let running = 0;
    let peak = 0;
    for (const p of log) {
      running += p.phase === 'start' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    assert.is(peak, 4, 'the cap is reached and never passed');
    assert.is(log.filter((p) => p.phase === 'start').length, 12);
    const pids = new Set(log.map((p) => p.pid));
    assert.ok(pids.size >= 2, 'more than one process took jobs');
  }
});

Processes('a worker killed with SIGKILL mid-job: the job is retried once on the other worker and done exactly once', async () => {
  {
    const r = await web.submit(21, { tag: 'survives', holdMs: 800 });
    assert.ok(r.accepted);
    if (!r.accepted) return;
    const log: TestProgress[] = [];
    web.onProgress(r.jobId, (p) => {
      log.push(p);
      if (p.phase === 'start' && log.filter((x) => x.phase === 'start').length === 1) process.kill(p.pid, 'SIGKILL');
    });
    assert.equal(await web.outcome(r.jobId), { status: 'done' });
    const starts = log.filter((p) => p.phase === 'start');
    const ends = log.filter((p) => p.phase === 'end');
    assert.is(starts.length, 2, 'run once, killed, run once more');
    assert.is.not(starts[0]!.pid, starts[1]!.pid, 'the retry ran in the other process');
    assert.is(ends.length, 1, 'done exactly once');
    assert.is(ends[0]!.pid, starts[1]!.pid);
  }
});

Processes('a job whose workers are killed twice is reported failed (QUEUE_WORKER_LOST) and not run a third time', async () => {
  {
    const r = await web.submit(22, { tag: 'doomed', holdMs: 30_000 });
    assert.ok(r.accepted);
    if (!r.accepted) return;
    const starts: number[] = [];
    web.onProgress(r.jobId, (p) => {
      if (p.phase !== 'start') return;
      starts.push(p.pid);
      process.kill(p.pid, 'SIGKILL');
    });
    const o = await web.outcome(r.jobId);
    assert.is(o.status, 'failed');
    assert.is(o.status === 'failed' && o.code, 'QUEUE_WORKER_LOST');
    await new Promise((res) => setTimeout(res, 600)); // a third start would show up within this
    assert.is(starts.length, 2);
    assert.is(new Set(starts).size, 2, 'each attempt in another process');
    // The user's line is free again: the last worker takes their next job.
    const next = await web.submit(22, { tag: 'after', holdMs: 0 });
    assert.ok(next.accepted);
    if (next.accepted) assert.equal(await web.outcome(next.jobId), { status: 'done' });
  }
});

Processes('a job handed back by a stopping worker still has its retry: its next worker is killed and a third one runs it', async () => {
  // Two more workers: this test stops one and kills one, leaving the last as it found it.
  const extra = await Promise.all([1, 2].map(() => spawnWorker(cluster.url, QUEUE, 2, 4)));
  workers.push(...extra);
  const r = await web.submit(23, { tag: 'deploy', holdMs: 3_000 });
  assert.ok(r.accepted);
  if (!r.accepted) return;
  const log: TestProgress[] = [];
  web.onProgress(r.jobId, (p) => {
    log.push(p);
    const starts = log.filter((x) => x.phase === 'start').length;
    if (p.phase !== 'start') return;
    const child = workers.find((w) => w.pid === p.pid)!;
    if (starts === 1) void stopWorker(child); // a deploy: SIGTERM, 1 s of grace, the job goes back
    if (starts === 2) process.kill(p.pid, 'SIGKILL');
  });
  assert.equal(await web.outcome(r.jobId), { status: 'done' }, 'not failed for the stop');
  const starts = log.filter((p) => p.phase === 'start');
  assert.is(starts.length, 3, 'stopped, killed, done');
  assert.is(new Set(starts.map((p) => p.pid)).size, 3);
  assert.ok(log.some((p) => p.phase === 'aborted' && p.reason === 'QUEUE_SHUTDOWN'));
});

Processes.run();
