/**
 * Runs an external tool (yt-dlp, ffmpeg) as a child process with a time budget, a cap on
 * captured output and cancellation. The child gets its own process group so that killing it
 * also kills what it spawned (yt-dlp starts ffmpeg for some streams): nothing outlives the
 * request that started it.
 */
import { spawn } from 'node:child_process';
import { abortReason, MusicError } from '../errors.ts';
import { toolEnv } from './toolEnv.ts';

/** Adds up the wall time spent inside each tool (the benchmark reads it). */
export class ToolMeter {
  readonly #ms = new Map<string, number>();
  /** Records `ms` spent in `tool`. */
  add(tool: string, ms: number): void {
    this.#ms.set(tool, (this.#ms.get(tool) ?? 0) + ms);
  }
  /** Milliseconds spent in `tool`, or in every tool when omitted. */
  total(tool?: string): number {
    if (tool !== undefined) return this.#ms.get(tool) ?? 0;
    let sum = 0;
    for (const v of this.#ms.values()) sum += v;
    return sum;
  }
  reset(): void {
    this.#ms.clear();
  }
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  /** A short name for errors, logs and the meter (`yt-dlp`, `ffmpeg`). */
  readonly tool: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Bytes kept of stdout and of stderr each (default 4 MiB); the rest is dropped. */
  readonly maxOutputBytes?: number;
  /**
   * Sees every complete stdout line as it arrives; returning an error stops the process and
   * makes the run fail with it (yt-dlp's info line shows a live stream before any download).
   */
  readonly onStdoutLine?: (line: string) => Error | undefined;
  readonly cwd?: string;
  /**
   * The child's whole environment. Default: {@link toolEnv} of this process's, so that no
   * tool (yt-dlp runs extractor code against remote pages) ever sees `BOT_TOKEN` or another
   * secret of the bot.
   */
  readonly env?: NodeJS.ProcessEnv;
  readonly meter?: ToolMeter;
}

/** How a process ended. */
export interface ProcessResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const KILL_GRACE_MS = 2000;

/**
 * Runs `command` with `args` (never through a shell). Resolves with the exit code and the
 * captured output whatever the code; rejects only when the run could not finish.
 *
 * @throws {MusicError} `MUSIC_TOOL_MISSING` when the executable cannot be started,
 *   `MUSIC_TIMEOUT` after `timeoutMs`, the signal's reason when cancelled, or the error
 *   `onStdoutLine` returned.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const cap = options.maxOutputBytes ?? 4 * 1024 * 1024;
  return new Promise<ProcessResult>((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortReason(options.signal));
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, cwd: options.cwd, env: options.env ?? toolEnv(process.env) });
    let stdout = '';
    let stderr = '';
    let pendingLine = '';
    let failure: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const stop = (why: Error): void => {
      if (failure) return;
      failure = why;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        child.kill(sig);
      }
    };
    const timer = setTimeout(
      () => stop(new MusicError('MUSIC_TIMEOUT', `${options.tool} took longer than ${options.timeoutMs} ms`, { service: options.tool })),
      options.timeoutMs,
    );
    const onAbort = (): void => stop(abortReason(options.signal!));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < cap) stdout += chunk.slice(0, cap - stdout.length);
      if (!options.onStdoutLine || failure) return;
      pendingLine += chunk;
      let nl: number;
      while ((nl = pendingLine.indexOf('\n')) !== -1) {
        const line = pendingLine.slice(0, nl);
        pendingLine = pendingLine.slice(nl + 1);
        const verdict = options.onStdoutLine(line);
        if (verdict) return stop(verdict);
      }
      if (pendingLine.length > cap) pendingLine = '';
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < cap) stderr += chunk.slice(0, cap - stderr.length);
    });

    /** Runs once: 'error' and 'close' may both fire for a child that failed to start. */
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      options.meter?.add(options.tool, performance.now() - started);
      return true;
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (!finish()) return;
      if (err.code === 'ENOENT' || err.code === 'EACCES') {
        reject(new MusicError('MUSIC_TOOL_MISSING', `${options.tool} could not be started (${err.code}): check its path`, { service: options.tool, cause: err }));
      } else reject(failure ?? err);
    });
    child.once('close', (exitCode) => {
      if (!finish()) return;
      if (failure) reject(failure);
      else resolve({ exitCode, stdout, stderr });
    });
  });
}
