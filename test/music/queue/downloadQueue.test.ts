import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MusicError } from '../../../src/music/errors.ts';
import { DownloadQueue } from '../../../src/music/queue/downloadQueue.ts';

/** A job the test finishes by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const log: string[] = [];
  return { open, opened, log };
}

const Q = suite('DownloadQueue');

Q('runs at most `concurrency` jobs and lets other users overtake a busy user', async () => {
  const q = new DownloadQueue({ concurrency: 2 });
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const job = (name: string) => ({
    run: () => new Promise<void>((resolve) => {
      started.push(name);
      gates.set(name, resolve);
    }),
  });
  q.submit(1, job('a1'));
  q.submit(1, job('a2'));
  q.submit(2, job('b1'));
  q.submit(3, job('c1'));
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(started, ['a1', 'b1'], "user 1's second job waits; user 2 overtakes it");
  gates.get('a1')!();
  await new Promise((r) => setImmediate(r));
  assert.equal(started, ['a1', 'b1', 'a2']);
  for (const g of ['b1', 'a2']) gates.get(g)!();
  await new Promise((r) => setImmediate(r));
  assert.equal(started, ['a1', 'b1', 'a2', 'c1']);
  gates.get('c1')!();
  await q.idle();
  assert.is(q.stats().peakRunning, 2);
});

Q('a user gets one running and three waiting jobs; the fifth is refused as busy', () => {
  const q = new DownloadQueue({ concurrency: 1 });
  const never = { run: () => new Promise<void>(() => undefined) };
  const results = Array.from({ length: 5 }, () => q.submit(7, never));
  assert.equal(results.map((r) => r.accepted), [true, true, true, true, false]);
  assert.equal(results[4], { accepted: false, reason: 'busy' });
  assert.is(q.submit(8, never).accepted, true, 'another user is not affected');
  assert.is(q.perUserLimit, 4);
});

Q('cancelling a waiting job drops it (never runs, told why); cancelling needs the owner', async () => {
  const q = new DownloadQueue({ concurrency: 1 });
  const g = gate();
  q.submit(1, { run: () => g.opened });
  let ran = false;
  let dropped: MusicError | undefined;
  const waiting = q.submit(2, { run: async () => void (ran = true), onDropped: (e) => void (dropped = e) });
  assert.ok(waiting.accepted);
  const id = waiting.accepted ? waiting.job.id : '';
  assert.is(q.cancel(id, 99), false, "someone else's job");
  assert.is(q.cancel(id, 2), true);
  assert.is(dropped?.code, 'MUSIC_CANCELLED');
  g.open();
  await q.idle();
  assert.is(ran, false);
});

Q('cancelling a running job aborts its signal with MUSIC_CANCELLED', async () => {
  const q = new DownloadQueue({ concurrency: 1 });
  let reason: unknown;
  const r = q.submit(1, {
    run: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => ((reason = signal.reason), resolve()))),
  });
  await new Promise((res) => setImmediate(res));
  assert.ok(r.accepted && q.cancel(r.job.id, 1));
  await q.idle();
  assert.is((reason as MusicError).code, 'MUSIC_CANCELLED');
});

Q('a job past its deadline has its signal aborted with MUSIC_TIMEOUT', async () => {
  const q = new DownloadQueue({ concurrency: 1, jobTimeoutMs: 20 });
  // The deadline timer is unref'd (it must not keep a bot alive): hold the test open.
  const hold = setTimeout(() => undefined, 5000);
  let reason: unknown;
  q.submit(1, { run: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => ((reason = signal.reason), resolve()))) });
  await q.idle();
  clearTimeout(hold);
  assert.is((reason as MusicError).code, 'MUSIC_TIMEOUT');
});

Q('close drops waiting jobs, aborts running ones, and refuses new ones', async () => {
  const q = new DownloadQueue({ concurrency: 1 });
  const dropped: string[] = [];
  q.submit(1, { run: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())) });
  q.submit(2, { run: async () => undefined, onDropped: (e) => void dropped.push(e.code) });
  await new Promise((r) => setImmediate(r));
  await q.close();
  assert.equal(dropped, ['MUSIC_CANCELLED']);
  assert.equal(q.submit(3, { run: async () => undefined }), { accepted: false, reason: 'closed' });
  assert.equal(q.stats(), { running: 0, waiting: 0, peakRunning: 1 });
});

Q('a waiting job knows its place in the line', async () => {
  const q = new DownloadQueue({ concurrency: 1 });
  const g = gate();
  const first = q.submit(1, { run: () => g.opened });
  const second = q.submit(2, { run: async () => undefined });
  const third = q.submit(3, { run: async () => undefined });
  assert.ok(first.accepted && second.accepted && third.accepted);
  if (first.accepted && second.accepted && third.accepted) {
    await new Promise((r) => setImmediate(r));
    assert.is(first.job.running, true);
    assert.is(second.job.position(), 1);
    assert.is(third.job.position(), 2);
  }
  g.open();
  await q.idle();
});

Q.run();
