/**
 * Runs `src/main.ts` (what `npm start` runs) as a child process with a given environment, and
 * reads its JSON log lines from stdout, for tests of start-up, signals and exit codes.
 *
 * The child's working directory is a temporary one, so a developer's `./.env` is never loaded;
 * tsx is loaded by absolute path for the same reason.
 *
 * @example
 * const bot = spawnMain(env, cwd);
 * await bot.waitFor((l) => l.msg === 'bot started');
 * bot.child.kill('SIGTERM');
 * assert.is((await bot.exited).code, 0);
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** A log line of the child (pino JSON). */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** A running `src/main.ts`. */
export interface ChildMain {
  readonly child: ChildProcess;
  /** Every JSON line so far. */
  readonly lines: LogLine[];
  /** stdout lines that were not JSON and all of stderr. */
  readonly other: string[];
  /** Resolves with the first line (past or future) matching; rejects if the child exits first. */
  waitFor(match: (line: LogLine) => boolean): Promise<LogLine>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `src/main.ts` with exactly `env` (plus PATH and HOME). */
export function spawnMain(env: Record<string, string>, cwd: string): ChildMain {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const other: string[] = [];
  const waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void; reject: (e: Error) => void }> = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        other.push(text);
        continue;
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => void other.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`main.ts exited (${code ?? signal}) first; stderr: ${other.join('').slice(-2000)}`));
      resolve({ code, signal });
    });
  });
  return {
    child,
    lines,
    other,
    exited,
    waitFor(match) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error('main.ts has exited'));
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
  };
}
