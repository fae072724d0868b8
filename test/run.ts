/**
 * Runs every uvu test file in its own Node process (so LevelDB handles, servers and
 * timers of one file can never leak into another) and prints one closing line:
 * `N passed, M failed`.
 *
 * Usage: `npm test` (all), `npm test -- eventlog vault` (files whose path contains a word).
 *
 * Files whose path contains `postgres` share one throwaway PostgreSQL cluster
 * (`test/helpers/postgresCluster.ts`), started in the background when the run begins and
 * stopped at the end; its URL reaches them in `TEST_POSTGRES_URL`. If it cannot start, those files fail
 * with the reason.
 *
 * A file counts as failed as a whole when it exits non-zero without a uvu summary, or
 * prints no summary at all (a file that forgot `.run()` runs nothing and must not pass).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';
import { SHARED_URL_ENV, startPostgresCluster, type PostgresCluster } from './helpers/postgresCluster.ts';

const root = new URL('..', import.meta.url).pathname;
const testDir = join(root, 'test');
const filters = process.argv.slice(2);
const perFileTimeoutMs = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 300_000);
const concurrency = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? availableParallelism()));

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

interface FileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  ms: number;
  output: string;
  ok: boolean;
}

const ansi = /\u001b\[[0-9;]*m/g;

let cluster: Promise<PostgresCluster> | undefined;

/** The shared cluster's environment for files that need PostgreSQL. */
async function postgresEnv(file: string): Promise<Record<string, string>> {
  if (!relative(root, file).includes('postgres')) return {};
  cluster ??= startPostgresCluster();
  // A cluster that cannot start is left to each file to report: it starts its own and fails with the reason.
  const c = await cluster.catch(() => undefined);
  return c ? { [SHARED_URL_ENV]: c.url } : {};
}

async function runFile(file: string): Promise<FileResult> {
  const started = Date.now();
  const extraEnv = await postgresEnv(file);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, ...extraEnv, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[runner] killed after ${perFileTimeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, perFileTimeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const clean = output.replace(ansi, '');
      const total = Number(/Total:\s+(\d+)/.exec(clean)?.[1] ?? NaN);
      const passed = Number(/Passed:\s+(\d+)/.exec(clean)?.[1] ?? NaN);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(clean)?.[1] ?? 0);
      const ms = Date.now() - started;
      if (Number.isNaN(total) || Number.isNaN(passed)) {
        // No summary: a crash before or during the run, or a file that never called .run().
        resolve({ file, passed: 0, failed: 1, skipped: 0, ms, output: clean, ok: false });
        return;
      }
      let failed = total - passed - skipped;
      if (code !== 0 && failed === 0) failed = 1; // an error after the suites finished
      resolve({ file, passed, failed, skipped, ms, output: clean, ok: failed === 0 });
    });
  });
}

const files = findTests(testDir).filter(
  (f) => filters.length === 0 || filters.some((w) => relative(root, f).includes(w)),
);
// Started now, in the background, when any chosen file needs it: initdb overlaps other files.
if (files.some((f) => relative(root, f).includes('postgres'))) {
  cluster = startPostgresCluster();
  cluster.catch(() => {}); // reported by the files that need it
}
const results: FileResult[] = [];
let next = 0;
async function worker(): Promise<void> {
  while (next < files.length) {
    const file = files[next++]!;
    const r = await runFile(file);
    results.push(r);
    const name = relative(root, file);
    const mark = r.ok ? 'ok  ' : 'FAIL';
    console.log(`${mark} ${name}  ${r.passed} passed, ${r.failed} failed (${(r.ms / 1000).toFixed(1)} s)`);
    if (!r.ok) console.log(r.output.split('\n').map((l) => `     | ${l}`).join('\n'));
  }
}
try {
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
} finally {
  (await cluster?.catch(() => undefined))?.stop();
}

const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
const skipped = results.reduce((s, r) => s + r.skipped, 0);
if (files.length === 0) console.log('no test files matched');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
