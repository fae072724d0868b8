/**
 * Entry point (`npm start`): loads `./.env` when present, parses the config, starts the app
 * and stops it cleanly on SIGINT/SIGTERM. Start-up problems an operator can fix (a bad
 * variable, a data dir in use, a wrong master key) end with one readable line and exit 1.
 */
import { existsSync } from 'node:fs';
import { DataDirLockedError } from '../eventlog/index.ts';
import { MasterKeyMismatchError } from '../eventlog/vault/errors.ts';
import { startApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, scrubText } from './log.ts';

/** How long in-flight work may take to finish after a stop signal. */
const SHUTDOWN_GRACE_MS = 20_000;

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

try {
  const app = await startApp(config, logger);
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    void app.stop().then(() => {
      logger.info('stopped');
      logger.flush();
      process.exitCode = 0;
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (err) {
  if (err instanceof DataDirLockedError || err instanceof MasterKeyMismatchError) fail(err.message);
  logger.fatal({ err }, 'start-up failed');
  logger.flush();
  fail(`start-up failed: ${scrubText(err instanceof Error ? err.message : String(err))}`);
}
