/**
 * Event log benchmark (prints, never asserts):
 *
 * (a) durable append throughput: N users (default 1000) each append one small event at
 *     the same time through the store (classic-level, group commit, one inline projection)
 *     against raw classic-level `batch([...], { sync: true })` of the same bytes (the
 *     store's log record, stream index entry and stream head), issued the same way: N
 *     concurrent batches. Median of several rounds, interleaved.
 * (b) projection rebuild over M events (default 1,000,000) against raw ordered iterations
 *     of the same log keys: the idiomatic `for await` over an iterator with default options,
 *     and a bulk `nextv` with the rebuild's own chunk size and read-ahead (the like-for-like
 *     baseline). The three are interleaved, R rounds (default 5), and medians are compared.
 *     In the same rounds, two more rebuilds: one with the rebuild's Bloom filter answering
 *     "maybe" to every key (so every row the pending writes do not hold is read from disk)
 *     and one with its row LRU always missing, to show what each is worth.
 * (c) peak RSS while rebuilding (sampled every 10 ms) in one extra rebuild after the timed
 *     ones (sampling costs time, so it is kept out of them), in a fresh child process so
 *     that the fill does not count.
 *
 * `EVENTLOG_BENCH_USERS`, `EVENTLOG_BENCH_EVENTS`, `EVENTLOG_BENCH_ROUNDS` (appends) and
 * `EVENTLOG_BENCH_REBUILD_ROUNDS` shrink it for a quick run; `EVENTLOG_BENCH_STREAMS`
 * (default 1000) is how many streams – rows of the rebuilt table – the log is spread over.
 * Run with `npm run bench -- eventlog` or `npx tsx bench/eventlog.ts`.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Level } from 'level';
import {
  NO_STREAM,
  openEventStore,
  openLevelDb,
  type EventStore,
} from '../eventlog/index.ts';
import { BloomFilter } from '../eventlog/bloom.ts';
import { Lru } from '../eventlog/lru.ts';
import { DEFAULT_READ_SIZE, readAhead } from '../eventlog/replay.ts';
import { perUser, Played, registry, type BenchEvent } from './trackPlayed.ts';

const env = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function appendRound(store: EventStore<BenchEvent>, users: number, round: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, (_, u) =>
      store.appendToStream(`user-${u}`, [Played.of({ track: `track-${round}-${u}`, ms: 180_000 })], {
        expectedVersion: round === 0 ? NO_STREAM : round - 1,
      }),
    ),
  );
  return performance.now() - started;
}

/** The bytes the store wrote for round `round`: per user [log, stream index, head] puts. */
async function storeBytes(store: EventStore<BenchEvent>, users: number, round: number) {
  const log = store.db.sublevel('log');
  const from = round * users;
  const entries = await log.iterator({ gte: String(from).padStart(16, '0'), limit: users }).all();
  return entries.map(([key, value]) => {
    // Record format 1: [type, v, data, stream, streamPosition, ...] (see eventlog/recordFormat.ts).
    const [, , , stream, streamPosition] = JSON.parse(value) as [string, number, unknown, string, number];
    return [
      { key: `!log!${key}`, value },
      { key: `!streams!${stream}/${String(streamPosition).padStart(16, '0')}`, value: key },
      { key: `!heads!${stream}`, value: String(streamPosition) },
    ];
  });
}

async function rawRound(db: Level<string, string>, perUserOps: { key: string; value: string }[][]): Promise<number> {
  const started = performance.now();
  await Promise.all(
    perUserOps.map((ops) => db.batch(ops.map((o) => ({ type: 'put' as const, ...o })), { sync: true })),
  );
  return performance.now() - started;
}

async function benchAppend(root: string): Promise<void> {
  const users = env('EVENTLOG_BENCH_USERS', 1000);
  const rounds = env('EVENTLOG_BENCH_ROUNDS', 7);
  const store = await openEventStore({ location: join(root, 'append-store'), registry, projections: [perUser] });
  const raw = new Level<string, string>(join(root, 'append-raw'));
  await raw.open();
  const storeMs: number[] = [];
  const rawMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    storeMs.push(await appendRound(store, users, r));
    rawMs.push(await rawRound(raw, await storeBytes(store, users, r)));
  }
  await store.close();
  await raw.close();
  const s = (users / median(storeMs)) * 1000;
  const w = (users / median(rawMs)) * 1000;
  console.log(`(a) durable appends, ${users} users x 1 event, concurrent, median of ${rounds} rounds`);
  console.log(`    store (group commit + projection): ${fmt(s)} appends/s  (${median(storeMs).toFixed(1)} ms per round)`);
  console.log(`    raw LevelDB batch sync:            ${fmt(w)} appends/s  (${median(rawMs).toFixed(1)} ms per round)`);
  console.log(`    ratio store/raw: ${(s / w).toFixed(2)}  (target >= 0.5)`);
}

async function fillLog(location: string, events: number): Promise<number> {
  const store = await openEventStore({ location, registry, projections: [perUser] });
  const users = env('EVENTLOG_BENCH_STREAMS', 1000);
  const perCall = 10;
  const started = performance.now();
  const versions = new Array<number>(users).fill(NO_STREAM);
  for (let done = 0; done < events; ) {
    const calls: Promise<unknown>[] = [];
    for (let u = 0; u < users && done < events; u++) {
      const n = Math.min(perCall, events - done);
      const batch = Array.from({ length: n }, (_, i) => Played.of({ track: `t-${done + i}`, ms: 1000 + ((done + i) % 997) }));
      calls.push(store.appendToStream(`user-${u}`, batch, { expectedVersion: versions[u]! }));
      versions[u] = versions[u]! + n;
      done += n;
    }
    await Promise.all(calls);
  }
  const ms = performance.now() - started;
  await store.close();
  return ms;
}

/** Idiomatic ordered iteration: `for await` over the log keyspace with default options. */
async function rawForAwait(location: string): Promise<number> {
  const db = await openLevelDb(location);
  const started = performance.now();
  let n = 0;
  for await (const entry of db.sublevel('log').iterator()) if (entry) n++;
  const ms = performance.now() - started;
  await db.close();
  if (n === 0) throw new Error('empty log');
  return ms;
}

/** Bulk ordered iteration: `nextv` with the same chunk size and read-ahead the rebuild uses. */
async function rawBulk(location: string): Promise<number> {
  const db = await openLevelDb(location);
  const started = performance.now();
  const it = db.sublevel('log').iterator(readAhead(DEFAULT_READ_SIZE));
  let n = 0;
  for (;;) {
    const entries = await it.nextv(DEFAULT_READ_SIZE);
    if (entries.length === 0) break;
    n += entries.length;
  }
  await it.close();
  const ms = performance.now() - started;
  await db.close();
  if (n === 0) throw new Error('empty log');
  return ms;
}

/** Anonymous (non file-backed) resident memory from /proc, where Linux provides it. */
function rssAnon(): number {
  try {
    const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Switches off the rebuild's Bloom filter or row LRU for the ablation rounds, in this child
 * process only: a filter that answers "maybe" sends every lookup the pending writes cannot
 * answer to the disk; an LRU that never has a row does the same for rows written earlier.
 */
const ablation = { bloom: false, lru: false };
function patchForAblation(): void {
  const mightHave = BloomFilter.prototype.mightHave;
  BloomFilter.prototype.mightHave = function (this: BloomFilter, key: string) {
    return ablation.bloom || mightHave.call(this, key);
  };
  const has = Lru.prototype.has;
  Lru.prototype.has = function (this: Lru<unknown, unknown>, key: unknown) {
    return !ablation.lru && has.call(this, key);
  };
}

async function ablatedRebuild(location: string, off: 'bloom' | 'lru'): Promise<number> {
  ablation[off] = true;
  try {
    return await timedRebuild(location);
  } finally {
    ablation[off] = false;
  }
}

async function timedRebuild(location: string): Promise<number> {
  const store = await openEventStore({ location, registry, projections: [perUser] });
  const report = await store.rebuild();
  await store.close();
  return report.ms;
}

/** One more rebuild, sampling memory every 10 ms (not timed: the sampling itself costs). */
async function sampledRebuild(location: string): Promise<{ peak: number; heap: number; anon: number }> {
  const store = await openEventStore({ location, registry, projections: [perUser] });
  let peak = 0;
  let heap = 0;
  let anon = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    heap = Math.max(heap, m.heapUsed);
    anon = Math.max(anon, rssAnon());
  };
  sample();
  const sampler = setInterval(sample, 10);
  await store.rebuild();
  clearInterval(sampler);
  sample();
  await store.close();
  return { peak, heap, anon };
}

interface RebuildFigures {
  rounds: number;
  rebuildMs: number[];
  noBloomMs: number[];
  noLruMs: number[];
  forAwaitMs: number[];
  bulkMs: number[];
  rssBefore: number;
  rssPeak: number;
  heapPeak: number;
  anonPeak: number;
  differences: number;
}

/**
 * Runs in a fresh child process so that RSS reflects the rebuild, not the fill: the raw
 * iterations and the rebuild interleaved for R rounds (the machine may be shared, so the
 * medians are compared), then one sampled rebuild for memory and one verify.
 */
async function measureRebuild(location: string): Promise<RebuildFigures> {
  const rssBefore = process.memoryUsage.rss();
  const rounds = env('EVENTLOG_BENCH_REBUILD_ROUNDS', 5);
  const f = { forAwaitMs: [] as number[], bulkMs: [] as number[], rebuildMs: [] as number[], noBloomMs: [] as number[], noLruMs: [] as number[] };
  patchForAblation();
  for (let i = 0; i < rounds; i++) {
    f.forAwaitMs.push(await rawForAwait(location));
    f.bulkMs.push(await rawBulk(location));
    f.rebuildMs.push(await timedRebuild(location));
    f.noBloomMs.push(await ablatedRebuild(location, 'bloom'));
    f.noLruMs.push(await ablatedRebuild(location, 'lru'));
  }
  const memory = await sampledRebuild(location);
  const store = await openEventStore({ location, registry, projections: [perUser] });
  const differences = (await store.verify()).length;
  await store.close();
  return { rounds, ...f, rssBefore, rssPeak: memory.peak, heapPeak: memory.heap, anonPeak: memory.anon, differences };
}

function measureInChild(location: string): Promise<RebuildFigures> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure-rebuild', location], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as RebuildFigures) : reject(new Error(`rebuild measurement exited with ${code}`))));
  });
}

async function benchRebuild(root: string): Promise<void> {
  const events = env('EVENTLOG_BENCH_EVENTS', 1_000_000);
  const location = join(root, 'rebuild');
  const fillMs = await fillLog(location, events);
  console.log(`(b) rebuild over ${fmt(events)} events in ${fmt(env('EVENTLOG_BENCH_STREAMS', 1000))} streams (filled through the store in ${(fillMs / 1000).toFixed(1)} s, ${fmt((events / fillMs) * 1000)} events/s)`);
  const r = await measureInChild(location);
  const rate = (ms: number): string => `${fmt((events / ms) * 1000).padStart(10)} events/s  (${(ms / 1000).toFixed(2)} s)`;
  const rebuild = median(r.rebuildMs);
  // Ratio of the medians, and the median of the per-round ratios (each round runs the three back to back).
  const ratios = (raw: number[]): string =>
    `ratio rebuild/raw ${(median(raw) / rebuild).toFixed(2)} (per round ${raw.map((ms, i) => (ms / r.rebuildMs[i]!).toFixed(2)).join(' ')})`;
  console.log(`    medians of ${r.rounds} interleaved rounds:`);
  console.log(`    projection rebuild:                         ${rate(rebuild)}`);
  console.log(`    raw iteration, for await (default options): ${rate(median(r.forAwaitMs))}  -> ${ratios(r.forAwaitMs)}`);
  console.log(`    raw iteration, nextv(${DEFAULT_READ_SIZE}) + read-ahead:    ${rate(median(r.bulkMs))}  -> ${ratios(r.bulkMs)} (target >= 0.5)`);
  const slower = (ms: number[]): string => `${rate(median(ms))}  (${((median(ms) / rebuild - 1) * 100).toFixed(0)} % time vs the rebuild with it)`;
  console.log(`    rebuild without its Bloom filter:           ${slower(r.noBloomMs)}`);
  console.log(`    rebuild without its row LRU:                ${slower(r.noLruMs)}`);
  console.log(`    verify after rebuild: ${r.differences === 0 ? 'tables equal' : `${r.differences} differences`}`);
  console.log(`(c) peak RSS during rebuild: ${mb(r.rssPeak)} (fresh process, RSS at start: ${mb(r.rssBefore)})`);
  const anon = r.anonPeak > 0 ? `, anonymous (not file-backed) RSS ${mb(r.anonPeak)}` : '';
  console.log(`    peak JS heap used ${mb(r.heapPeak)}${anon}; the rest is LevelDB table files mapped while reading.`);
}

/** Runs the whole benchmark in a temporary directory (removed afterwards). */
export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'eventlog-bench-'));
  try {
    await benchAppend(root);
    await benchRebuild(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--measure-rebuild') process.stdout.write(JSON.stringify(await measureRebuild(process.argv[3]!)));
  else await run();
}
