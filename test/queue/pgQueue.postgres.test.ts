/**
 * The PostgreSQL job queue as a user of the bot would notice it, against a real throwaway
 * cluster: a user's jobs run one at a time and in order, a full line refuses, a running job
 * can be cancelled and reports progress, deadlines end jobs, and the password stays out of logs.
 * Multi-process behaviour (global cap, dead workers) is in pgQueue.processes.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';
import { testDatabase } from '../helpers/postgresCluster.ts';
import { holdJob, openTestQueue, spawnWorker, stopWorker, type TestProgress } from '../helpers/queueFixtures.ts';
import { QueueError } from '../../src/queue/errors.ts';

// Top level on purpose: without PostgreSQL this file fails with the helper's message.
// A database of its own on the run's shared cluster (a cluster of its own when run alone).
const database = await testDatabase();
const cluster = { url: database.url, stop: database.drop };

const Queue = suite('PostgreSQL job queue');
Queue.after(() => cluster.stop());

Queue("a user's jobs run one at a time in the order sent, other users overtake, and a fifth is refused", async () => {
  const q = await openTestQueue(cluster.url, 'order', { globalConcurrency: 4 });
  try {
    const events: string[] = [];
    const ids: string[] = [];
    for (const tag of ['a1', 'a2', 'a3', 'a4']) {
      const r = await q.submit(1, { tag, holdMs: 120 });
      assert.ok(r.accepted, `${tag} accepted`);
      if (r.accepted) ids.push(r.jobId);
    }
    assert.equal(await q.submit(1, { tag: 'a5', holdMs: 0 }), { accepted: false, reason: 'busy' });
    assert.is(q.perUserLimit, 4);
    const b = await q.submit(2, { tag: 'b1', holdMs: 50 });
    assert.ok(b.accepted);
    if (b.accepted) ids.push(b.jobId);
    q.work(async (payload, signal) => {
      events.push(`start ${payload.tag}`);
      await new Promise((r) => setTimeout(r, payload.holdMs));
      events.push(`end ${payload.tag}`);
    }, { concurrency: 4 });
    const outcomes = await Promise.all(ids.map((id) => q.outcome(id)));
    assert.ok(outcomes.every((o) => o.status === 'done'), JSON.stringify(outcomes));
    const mine = events.filter((e) => e.includes(' a'));
    assert.equal(mine, ['start a1', 'end a1', 'start a2', 'end a2', 'start a3', 'end a3', 'start a4', 'end a4']);
    assert.ok(events.indexOf('start b1') < events.indexOf('start a2'), `user 2 overtakes user 1's line: ${events}`);
    assert.ok((await q.submit(1, { tag: 'a6', holdMs: 0 })).accepted, 'room again once the line has run');
  } finally {
    await q.close();
  }
});

Queue('a payload the schema refuses is refused on submit with QUEUE_BAD_PAYLOAD', async () => {
  const q = await openTestQueue(cluster.url, 'badpayload');
  try {
    const err = await q.submit(1, { tag: 'x', holdMs: -1 }).then(() => undefined, (e: unknown) => e);
    assert.instance(err, QueueError);
    assert.is((err as QueueError).code, 'QUEUE_BAD_PAYLOAD');
  } finally {
    await q.close();
  }
});

Queue('a job submitted twice under one id (a redelivered update) is queued and run once', async () => {
  const q = await openTestQueue(cluster.url, 'sameid');
  try {
    const id = '6f1c2b3a-4d5e-5f60-8a7b-9c0d1e2f3a4b';
    assert.equal(await q.submit(5, { tag: 'first', holdMs: 0 }, { id }), { accepted: true, jobId: id });
    assert.equal(await q.submit(5, { tag: 'again', holdMs: 0 }, { id }), { accepted: true, jobId: id });
    assert.equal(await q.liveJobs(5), [{ id, payload: { tag: 'first', holdMs: 0 } }]);
    assert.is(await q.status(id), 'pending');
    const ran: string[] = [];
    q.work(async (payload, _signal, _progress, jobId) => void ran.push(`${payload.tag} ${jobId}`), { concurrency: 2 });
    assert.equal(await q.outcome(id), { status: 'done' });
    assert.equal(ran, [`first ${id}`]);
    assert.equal(await q.counts(), { waiting: 0, running: 0 });
  } finally {
    await q.close();
  }
});

Queue('cancel from another process aborts the running job there, and progress reaches the submitter', async () => {
  const web = await openTestQueue(cluster.url, 'cancel');
  const worker = await spawnWorker(cluster.url, 'cancel', 1);
  try {
    const r = await web.submit(7, { tag: 'long', holdMs: 30_000 });
    assert.ok(r.accepted);
    if (!r.accepted) return;
    const seen: TestProgress[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    web.onProgress(r.jobId, (p) => {
      seen.push(p);
      if (p.phase === 'start') started();
    });
    await running;
    assert.is(seen[0]?.pid, worker.pid, 'the progress came from the worker process');
    assert.is(await web.cancel(r.jobId, 8), false, "another user cannot cancel it");
    assert.is(await web.cancel(r.jobId, 7), true);
    assert.equal(await web.outcome(r.jobId), { status: 'cancelled' });
    for (let i = 0; i < 100 && !seen.some((p) => p.phase === 'aborted'); i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(seen.map((p) => [p.phase, p.reason]), [['start', undefined], ['aborted', 'QUEUE_CANCELLED']]);
    assert.is(await web.cancel(r.jobId, 7), false, 'nothing left to cancel');
  } finally {
    await stopWorker(worker);
    await web.close();
  }
});

Queue('a waiting job that is cancelled never starts', async () => {
  const q = await openTestQueue(cluster.url, 'cancelwaiting');
  try {
    const r = await q.submit(3, { tag: 'never', holdMs: 0 });
    assert.ok(r.accepted);
    if (!r.accepted) return;
    assert.ok(await q.cancel(r.jobId, 3));
    const started: string[] = [];
    q.work(async (p) => void started.push(p.tag));
    const after = await q.submit(3, { tag: 'next', holdMs: 0 });
    assert.ok(after.accepted);
    if (after.accepted) assert.equal(await q.outcome(after.jobId), { status: 'done' });
    assert.equal(started, ['next']);
    assert.equal(await q.outcome(r.jobId), { status: 'cancelled' });
  } finally {
    await q.close();
  }
});

Queue('a job past its deadline is aborted and reported failed with QUEUE_TIMEOUT, not retried', async () => {
  const q = await openTestQueue(cluster.url, 'deadline', { jobTimeoutMs: 300 });
  try {
    let runs = 0;
    q.work(async (p, signal, progress) => {
      runs++;
      await holdJob(p, signal, progress);
    });
    const r = await q.submit(4, { tag: 'slow', holdMs: 30_000 });
    assert.ok(r.accepted);
    if (!r.accepted) return;
    const o = await q.outcome(r.jobId);
    assert.is(o.status, 'failed');
    assert.is(o.status === 'failed' && o.code, 'QUEUE_TIMEOUT');
    assert.is(runs, 1);
  } finally {
    await q.close();
  }
});

Queue("a handler's own error ends the job as failed with its code, once", async () => {
  const q = await openTestQueue(cluster.url, 'handlererror');
  try {
    let runs = 0;
    q.work(async () => {
      runs++;
      throw Object.assign(new Error('no such track'), { code: 'MUSIC_NO_MATCH' });
    });
    const r = await q.submit(5, { tag: 'x', holdMs: 0 });
    assert.ok(r.accepted);
    if (r.accepted) assert.equal(await q.outcome(r.jobId), { status: 'failed', code: 'MUSIC_NO_MATCH', message: 'the job failed' });
    assert.is(runs, 1);
  } finally {
    await q.close();
  }
});

Queue('close lets a running job finish within the grace period', async () => {
  const q = await openTestQueue(cluster.url, 'closegrace');
  const r = await q.submit(6, { tag: 'finish', holdMs: 200 });
  assert.ok(r.accepted);
  const phases: string[] = [];
  q.work((p, signal, progress) =>
    holdJob(p, signal, async (v) => {
      phases.push(v.phase);
      await progress(v);
    }),
  );
  while (!phases.includes('start')) await new Promise((res) => setTimeout(res, 10));
  await q.close({ graceMs: 5_000 });
  assert.equal(phases, ['start', 'end']);
  const check = await openTestQueue(cluster.url, 'closegrace');
  try {
    if (r.accepted) assert.equal(await check.status(r.jobId), { status: 'done' });
  } finally {
    await check.close();
  }
});

Queue('close aborts a job still running after the grace period and another worker runs it', async () => {
  const web = await openTestQueue(cluster.url, 'closeabort');
  const first = await openTestQueue(cluster.url, 'closeabort');
  try {
    const r = await web.submit(9, { tag: 'moved', holdMs: 400 });
    assert.ok(r.accepted);
    if (!r.accepted) return;
    const seen: string[] = [];
    web.onProgress(r.jobId, (p) => seen.push(`${p.phase}${p.reason ? ` ${p.reason}` : ''}`));
    first.work((p, signal, progress) => holdJob({ ...p, holdMs: 30_000 }, signal, progress));
    while (!seen.includes('start')) await new Promise((res) => setTimeout(res, 10));
    await first.close({ graceMs: 100 });
    const second = await openTestQueue(cluster.url, 'closeabort');
    second.work(holdJob);
    try {
      assert.equal(await web.outcome(r.jobId), { status: 'done' });
    } finally {
      await second.close();
    }
    assert.equal(seen, ['start', 'aborted QUEUE_SHUTDOWN', 'start', 'end']);
  } finally {
    await first.close();
    await web.close();
  }
});

Queue('waiting for the outcome of a job that does not exist fails with QUEUE_UNKNOWN_JOB', async () => {
  const q = await openTestQueue(cluster.url, 'unknown');
  try {
    const err = await q.outcome('00000000-0000-4000-8000-000000000000').then(() => undefined, (e: unknown) => e);
    assert.is((err as QueueError).code, 'QUEUE_UNKNOWN_JOB');
    assert.is(await q.cancel('not-a-uuid', 1), false);
  } finally {
    await q.close();
  }
});

Queue('the database password never reaches the log', async () => {
  const secret = 'pw-Do-Not-Log-42';
  const url = cluster.url.replace('postgres@', `postgres:${secret}@`);
  const log = createMemoryLogger();
  const q = await openTestQueue(url, 'redact', { logger: log.logger });
  await q.close();
  assert.ok(log.text().includes('***'), log.text());
  assert.not.ok(log.text().includes(secret));
});

Queue.run();
