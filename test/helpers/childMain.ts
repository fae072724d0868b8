/**
 * Runs `src/main.ts` (what `npm start` runs) as a child process with a given environment, and
 * reads its JSON log lines from stdout, for tests of start-up, signals and exit codes.
 *
 * The child's working directory is a temporary one, so a developer's `./.env` is never loaded;
 * tsx is loaded by absolute path for the same reason. With `via: 'npm'` the whole chain of the
 * README runs (today npm → sh → tsx → node): the repository's own `start` script, with
 * `src/main.ts` made absolute, from a `package.json` written into that directory (next to a
 * link to the repository's `node_modules`), as its own process group, so
 * {@link ChildMain.signal} reaches every process at once, as Ctrl-C in a terminal does.
 *
 * @example
 * const bot = spawnMain(env, cwd);
 * await bot.waitFor((l) => l.msg === 'bot started');
 * bot.child.kill('SIGTERM');
 * assert.is((await bot.exited).code, 0);
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onLines } from './lines.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(REPO, 'src/main.ts');
const TSX = import.meta.resolve('tsx');

/** The repository's `npm start` script, pointing at `src/main.ts` by absolute path. */
function startScript(): string {
  const start = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  if (!start.includes('src/main.ts')) throw new Error(`npm start no longer runs src/main.ts: ${start}`);
  return start.replace('src/main.ts', JSON.stringify(MAIN));
}

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
  /** Exit of the first process: npm (which, as in a terminal, dies of a SIGINT it got) or node. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stdout and stderr are closed: every process of the chain has ended. */
  readonly closed: Promise<void>;
  /** Sends `signal` to node, or with `via: 'npm'` to the whole process group (Ctrl-C). */
  signal(signal: NodeJS.Signals): void;
}

/** How to start it: node directly (as the Docker image does) or `npm start`. */
export interface SpawnMainOptions {
  via?: 'node' | 'npm';
}

/** Starts `src/main.ts` with exactly `env` (plus PATH and HOME). */
export function spawnMain(env: Record<string, string>, cwd: string, options: SpawnMainOptions = {}): ChildMain {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd };
  const via = options.via ?? 'node';
  if (via === 'npm') {
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'main-under-test', private: true, scripts: { start: startScript() } }));
    symlinkSync(join(REPO, 'node_modules'), join(cwd, 'node_modules'), 'dir'); // npm puts its .bin on PATH
  }
  const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
  const child =
    via === 'npm'
      ? spawn('npm', ['start', '--silent'], {
          cwd,
          // No update check (it would go to the registry) and no npm log files in HOME.
          env: { ...base, npm_config_update_notifier: 'false', npm_config_logs_max: '0', ...env },
          stdio,
          detached: true,
        })
      : spawn(process.execPath, ['--import', TSX, MAIN], { cwd, env: { ...base, ...env }, stdio });
  const closed = Promise.all([once(child.stdout!, 'close'), once(child.stderr!, 'close')]).then(() => undefined);
  const lines: LogLine[] = [];
  const other: string[] = [];
  const waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void; reject: (e: Error) => void }> = [];
  onLines(child.stdout!, (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      other.push(text);
      return;
    }
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.match(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
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
    closed,
    signal(signal) {
      if (via !== 'node' && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    },
    waitFor(match) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error('main.ts has exited'));
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
  };
}
