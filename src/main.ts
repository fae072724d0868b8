/**
 * Entry point (`npm start`): loads `./.env` when present, parses the config, starts the app
 * and stops it cleanly on SIGINT/SIGTERM. Start-up problems an operator can fix (a bad
 * variable, a data dir in use, a wrong master key, a token Telegram refuses) end with one
 * readable line and exit 1.
 */
import { existsSync } from 'node:fs';
import { DataDirLockedError } from '../eventlog/index.ts';
import { MasterKeyMismatchError } from '../eventlog/vault/errors.ts';
import { DatabaseInUseError } from './storage/openStorage.ts';
import { DEFAULT_SHUTDOWN_GRACE_MS, startApp, type RunningApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, scrubText } from './log.ts';
import { StartupAbortedError, TelegramTokenRejectedError } from './lifecycle/telegramStartup.ts';

/** Past this, a stop that still has not closed LevelDB is abandoned with exit code 1. */
const HARD_STOP_MS = DEFAULT_SHUTDOWN_GRACE_MS + 10_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

if (existsSync('.env')) process.loadEnvFile('.env');

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

const logger = createLogger({ level: config.logLevel, base: { service: 'music-bot' } });

/**
 * Signals this close to the first one are the same stop. Ctrl-C in a terminal signals the
 * whole foreground process group, so node gets SIGINT from the terminal and, tens of
 * milliseconds later, again relayed by tsx (and npm): that is one request, not an operator
 * insisting.
 */
const SAME_STOP_MS = 2_000;

let app: RunningApp | undefined;
/** Ends a start-up still waiting for Telegram when a stop signal comes. */
const starting = new AbortController();
/** When the first stop signal came (monotonic clock), if one came. */
let firstSignalAt: number | undefined;

function stop(): void {
  void app!.stop().then((report) => {
    logger.info({ cutOff: report.timedOut, failed: report.failed }, 'stopped');
    // Exit explicitly: a request abandoned after the grace period (a hanging Telegram or
    // Spotify call) would otherwise keep the event loop alive although LevelDB is closed.
    logger.flush(() => process.exit(report.failed.length > 0 ? 1 : 0));
  });
}

// Registered before start-up, so a signal during a slow start still ends in a clean stop.
function onSignal(signal: NodeJS.Signals): void {
  const now = performance.now();
  if (firstSignalAt !== undefined && now - firstSignalAt < SAME_STOP_MS) {
    logger.debug({ signal }, 'stop signal repeated (relayed by tsx or npm): already stopping');
    return;
  }
  if (firstSignalAt !== undefined) {
    // A second Ctrl-C, seconds after the first: the operator does not want to wait. Every
    // batch is atomic, so leaving now loses at most work in hand, never the data dir's consistency.
    logger.warn({ signal }, 'second stop signal: exiting without waiting');
    logger.flush();
    process.exit(1);
  }
  firstSignalAt = now;
  logger.info({ signal, pid: process.pid, graceMs: DEFAULT_SHUTDOWN_GRACE_MS }, 'stopping');
  setTimeout(() => {
    logger.error({ hardStopMs: HARD_STOP_MS }, 'shutdown took too long; exiting');
    logger.flush();
    process.exit(1);
  }, HARD_STOP_MS).unref();
  if (app) stop();
  else starting.abort();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  app = await startApp(config, logger, { signal: starting.signal });
  if (firstSignalAt !== undefined) stop();
} catch (err) {
  if (!(err instanceof StartupAbortedError)) {
    if (err instanceof DataDirLockedError || err instanceof DatabaseInUseError || err instanceof MasterKeyMismatchError || err instanceof TelegramTokenRejectedError) fail(err.message);
    logger.fatal({ err }, 'start-up failed');
    logger.flush();
    fail(`start-up failed: ${scrubText(err instanceof Error ? err.message : String(err))}`);
  }
  // Stopped while waiting for Telegram: startApp has stopped what it had started.
  logger.info({ cutOff: [], failed: [] }, 'stopped');
  logger.flush(() => process.exit(0));
}
