/**
 * Link service benchmark (prints, never asserts):
 *
 * (a) `accessToken` for N linked users (default 1000) with valid tokens and a warm cache,
 *     round robin, against a baseline measured in the same run: a plain in-memory `Map`
 *     lookup plus one AES-256-GCM decrypt (node:crypto) of a token of the same size with the
 *     same AAD. Both run in the same awaited loop, interleaved, median of several rounds.
 *     Prints ops/s of both, the ratio (target ≥ 0.3) and p50/p99 latency of accessToken
 *     (target p99 < 1 ms).
 * (b) 1,000 concurrent `accessToken` calls for one user whose token has expired, against
 *     the local fake accounts server (refresh-token rotation on): prints how many token
 *     requests reached it (must be exactly 1).
 *
 * `LINK_BENCH_USERS`, `LINK_BENCH_ROUNDS`, `LINK_BENCH_OPS` shrink or grow it;
 * `LINK_BENCH_STORE=classic` runs on classic-level in a temp dir instead of memory-level.
 * Run with `npm run bench -- link` or `npx tsx bench/link.ts`.
 *
 * @module
 */
import { createDecipheriv, createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REFRESH_MARGIN_MS } from '../src/link/tokenRefresher.ts';
import { startLinkHarness, type LinkHarness } from '../test/helpers/linkHarness.ts';

const env = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const percentile = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** The baseline: what any token cache must do at least – find the sealed token, decrypt it. */
function makeBaseline(userIds: number[], tokenLength: number): (userId: number) => string {
  const key = randomBytes(32);
  const table = new Map<number, { iv: Buffer; body: Buffer; tag: Buffer; aad: Buffer }>();
  for (const id of userIds) {
    const iv = randomBytes(12);
    const aad = Buffer.from(String(id));
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
    const body = Buffer.concat([cipher.update(randomBytes(tokenLength).toString('base64url').slice(0, tokenLength)), cipher.final()]);
    table.set(id, { iv, body, tag: cipher.getAuthTag(), aad });
  }
  return (userId) => {
    const row = table.get(userId)!;
    const decipher = createDecipheriv('aes-256-gcm', key, row.iv).setAAD(row.aad).setAuthTag(row.tag);
    return Buffer.concat([decipher.update(row.body), decipher.final()]).toString('utf8');
  };
}

/** Calls `fn` `ops` times round robin over `userIds`, awaiting each; returns ops/s. */
async function throughput(fn: (userId: number) => unknown, userIds: number[], ops: number): Promise<number> {
  const n = userIds.length;
  const started = performance.now();
  for (let i = 0; i < ops; i++) await fn(userIds[i % n]!);
  return ops / ((performance.now() - started) / 1000);
}

async function linkUsers(h: LinkHarness, count: number): Promise<number[]> {
  const ids = Array.from({ length: count }, (_, i) => 10_000 + i);
  for (let i = 0; i < ids.length; i += 25) await Promise.all(ids.slice(i, i + 25).map((id) => h.link(id)));
  return ids;
}

async function benchHotPath(h: LinkHarness, ids: number[]): Promise<void> {
  const rounds = env('LINK_BENCH_ROUNDS', 5);
  const ops = env('LINK_BENCH_OPS', 200_000);
  const sample = await h.links.accessToken(ids[0]!);
  for (const id of ids) await h.links.accessToken(id); // warm: snapshot and data key cached
  console.log(`(a) accessToken for ${ids.length} linked users with valid tokens (token length ${sample.length})`);

  const baseline = makeBaseline(ids, sample.length);
  const service = (id: number) => h.links.accessToken(id);
  await throughput(baseline, ids, ops / 4); // JIT warm-up of both
  await throughput(service, ids, ops / 4);
  const base: number[] = [];
  const link: number[] = [];
  for (let r = 0; r < rounds; r++) {
    base.push(await throughput(baseline, ids, ops));
    link.push(await throughput(service, ids, ops));
  }
  const b = median(base);
  const l = median(link);
  console.log(`    baseline (Map + AES-256-GCM decrypt): ${fmt(b)} ops/s`);
  console.log(`    accessToken (valid, warm):            ${fmt(l)} ops/s`);
  console.log(`    ratio ${(l / b).toFixed(2)} (target ≥ 0.3)`);

  const samples = new Float64Array(Math.min(ops, 100_000));
  for (let i = 0; i < samples.length; i++) {
    const t = performance.now();
    await h.links.accessToken(ids[i % ids.length]!);
    samples[i] = performance.now() - t;
  }
  samples.sort();
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(`    accessToken latency p50 ${us(percentile(samples, 0.5))}, p99 ${us(percentile(samples, 0.99))} (target p99 < 1 ms), max ${us(samples[samples.length - 1]!)}`);
}

/** (b); returns the line to print. Run while the fake's keep-alive connections are fresh. */
async function benchStampede(h: LinkHarness): Promise<string> {
  const userId = 99;
  await h.link(userId);
  h.clock.t = (await h.links.status(userId)).link!.accessExpiresAt - REFRESH_MARGIN_MS;
  const before = h.spotify.count('token', { grantType: 'refresh_token' });
  const started = performance.now();
  const tokens = await Promise.all(Array.from({ length: 1000 }, () => h.links.accessToken(userId)));
  const ms = performance.now() - started;
  const requests = h.spotify.count('token', { grantType: 'refresh_token' }) - before;
  return `(b) 1,000 concurrent accessToken, expired token: ${requests} token request(s) (must be 1), ${new Set(tokens).size} distinct token(s), ${fmt(ms)} ms`;
}

/** Runs both parts and prints their figures. */
export async function run(): Promise<void> {
  const classic = process.env['LINK_BENCH_STORE'] === 'classic';
  const dir = classic ? mkdtempSync(join(tmpdir(), 'link-bench-')) : undefined;
  const h = await startLinkHarness({ rotation: true, ...(dir ? { location: dir } : {}) });
  try {
    const setupStarted = performance.now();
    const ids = await linkUsers(h, env('LINK_BENCH_USERS', 1000));
    console.log(`store: ${classic ? 'classic-level' : 'memory-level'}; ${ids.length} users linked through the fake login in ${fmt(performance.now() - setupStarted)} ms`);
    const stampede = await benchStampede(h);
    await benchHotPath(h, ids);
    console.log(stampede);
  } finally {
    await h.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
