/**
 * Keeps an eye on yt-dlp while the bot runs: at start-up and then weekly it updates yt-dlp
 * (only with `YTDLP_AUTO_UPDATE=1`) and logs its version, warning when it is too old for
 * YouTube or missing. All of it runs in the background: start-up never waits for it, and the
 * downloads in progress keep the yt-dlp they started with.
 *
 * Runs never overlap (the next one is scheduled when the last has ended). `stop()` cancels the
 * timer, lets a run in progress finish within the time it is given (an interrupted pip may
 * leave the venv half-written), then aborts it.
 *
 * @example
 * const upkeep = startYtDlpUpkeep({ path: config.music.ytdlpPath, autoUpdate: config.music.ytdlpAutoUpdate, logger });
 * // on shutdown:
 * await upkeep.stop(10_000);
 */
import type { Logger } from '../../log.ts';
import { toolEnv } from './toolEnv.ts';
import { updateYtDlp } from './ytDlpUpdater.ts';
import { reportYtDlpVersion } from './ytDlpVersion.ts';

/** A week: yt-dlp releases every week or two, and YouTube breaks old ones within weeks. */
export const UPKEEP_INTERVAL_MS = 7 * 24 * 60 * 60 * 1000;

/** The timer functions the schedule uses (tests pass fakes; no real waiting). */
export interface UpkeepTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: UpkeepTimers = {
  // unref: a pending weekly run must not keep a stopping process alive.
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Options of {@link startYtDlpUpkeep}. */
export interface YtDlpUpkeepOptions {
  /** `YTDLP_PATH`. */
  readonly path: string;
  /** `YTDLP_AUTO_UPDATE`. */
  readonly autoUpdate: boolean;
  readonly logger: Logger;
  /**
   * The environment the children's minimal one is picked from (default `process.env`, which
   * they would otherwise inherit whole, secrets included).
   */
  readonly sourceEnv?: Readonly<Record<string, string | undefined>>;
  /** Between runs (default {@link UPKEEP_INTERVAL_MS}). */
  readonly intervalMs?: number;
  readonly timers?: UpkeepTimers;
  readonly now?: () => number;
  /** Budget of one update command (default 5 min). */
  readonly updateTimeoutMs?: number;
}

/** A running upkeep. */
export interface YtDlpUpkeep {
  /** Settles when the run in progress, if any, has ended. */
  idle(): Promise<void>;
  /**
   * Stops the schedule; a run in progress gets up to `graceMs` (default 0) to finish, then
   * is aborted (its child killed). Idempotent; never throws.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the first run now (in the background) and schedules the next ones. */
export function startYtDlpUpkeep(options: YtDlpUpkeepOptions): YtDlpUpkeep {
  const { logger, path, autoUpdate } = options;
  const timers = options.timers ?? realTimers;
  const env = toolEnv(options.sourceEnv ?? process.env);
  const controller = new AbortController();
  const signal = controller.signal;
  let timer: unknown;
  let current: Promise<void> | undefined;
  let stopped = false;

  const once = async (): Promise<void> => {
    if (autoUpdate) {
      await updateYtDlp({ path, logger, env, signal, ...(options.updateTimeoutMs !== undefined && { timeoutMs: options.updateTimeoutMs }) });
    }
    if (!signal.aborted) {
      await reportYtDlpVersion({ path, logger, env, signal, autoUpdate, ...(options.now && { now: options.now }) });
    }
  };
  const run = (): void => {
    timer = undefined;
    current = once()
      // Both steps report their own failures; this only catches a bug, which must not crash the bot.
      .catch((err: unknown) => logger.warn({ err }, 'yt-dlp upkeep failed'))
      .finally(() => {
        current = undefined;
        if (!stopped) timer = timers.setTimeout(run, options.intervalMs ?? UPKEEP_INTERVAL_MS);
      });
  };
  run();

  return {
    idle: () => current ?? Promise.resolve(),
    async stop(graceMs = 0) {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      const running = current;
      if (!running) return;
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((resolve) => (wait = setTimeout(resolve, graceMs)))]);
      clearTimeout(wait);
      controller.abort();
      await running;
    },
  };
}
