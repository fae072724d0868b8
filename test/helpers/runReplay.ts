/**
 * Runs the replay CLI as the operator would: a child process (`node --import tsx
 * src/devtools/replay/cli.ts ...`), never in the test's own process, so that exit codes,
 * stdout/stderr and LevelDB's per-process lock behave as they do for real.
 *
 * @example
 * const r = await runReplay(['users', '--json'], { dataDir });
 * assert.is(r.code, 0);
 * const users = r.json<{ users: unknown[] }>().users;
 */
import { spawn } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

/** What a CLI run produced. */
export interface ReplayRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = any>(): T;
}

/** Runs `replay <args>` with `--data-dir dataDir` (when given) and an environment without DATA_DIR. */
export function runReplay(args: readonly string[], options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<ReplayRun> {
  const { DATA_DIR: _ignored, ...env } = process.env;
  const argv = [...args, ...(options.dataDir ? ['--data-dir', options.dataDir] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/devtools/replay/cli.ts', ...argv], {
      cwd: root,
      env: { ...env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: () => {
          try {
            return JSON.parse(stdout);
          } catch {
            throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\n${stderr}`);
          }
        },
      }),
    );
  });
}
