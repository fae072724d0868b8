/**
 * The test job of the queue tests, and worker processes to run it: a job "holds" for
 * `holdMs` (or until its signal aborts) and reports `start` and `end` as progress with the pid
 * of the process running it, so a test sees which process ran what, and when.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { z } from 'zod';
import { PgQueue, type PgQueueOptions } from '../../src/queue/pgQueue.ts';

export const TestPayload = z.object({ tag: z.string(), holdMs: z.number().int().min(0) });
export type TestPayload = z.infer<typeof TestPayload>;
export const TestProgress = z.object({ phase: z.enum(['start', 'end', 'aborted']), pid: z.number().int(), tag: z.string(), reason: z.string().optional() });
export type TestProgress = z.infer<typeof TestProgress>;

/** Fast timings for tests: dead workers are noticed within a few hundred ms. */
export const FAST = { pollMs: 50, reapIntervalMs: 150, claimGraceMs: 100, heartbeatSeconds: 10 } as const;

/** A queue instance in this process with the test job's schemas. */
export function openTestQueue(url: string, name: string, extra: Partial<PgQueueOptions<TestPayload, TestProgress>> = {}): Promise<PgQueue<TestPayload, TestProgress>> {
  return PgQueue.open({ connectionString: url, name, payload: TestPayload, progress: TestProgress, ...FAST, ...extra });
}

/** The handler every test worker runs. */
export async function holdJob(payload: TestPayload, signal: AbortSignal, progress: (p: TestProgress) => Promise<void>): Promise<void> {
  await progress({ phase: 'start', pid: process.pid, tag: payload.tag });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, payload.holdMs);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
  if (signal.aborted) {
    const code = (signal.reason as { code?: string }).code ?? 'unknown';
    await progress({ phase: 'aborted', pid: process.pid, tag: payload.tag, reason: code }).catch(() => undefined);
    throw signal.reason;
  }
  await progress({ phase: 'end', pid: process.pid, tag: payload.tag });
}

/** A worker in its own Node process; resolves once it is taking jobs. */
export async function spawnWorker(url: string, name: string, concurrency: number, globalConcurrency = 4): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('../queue/workerProcess.ts', import.meta.url).pathname], {
    env: { ...process.env, DATABASE_URL: url, QUEUE_NAME: name, CONCURRENCY: String(concurrency), GLOBAL_CONCURRENCY: String(globalConcurrency) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8');
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (out.includes('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code}): ${out}`)));
  });
  await ready;
  return child;
}

/** SIGTERM (the worker closes gracefully) and wait; SIGKILL if it takes longer than 5 s. */
export async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
