/**
 * The first contact with Telegram at start-up (`getMe`), said out loud: what is tried, why it
 * fails, and what happens next. A network error (DNS, refused, reset, no answer) is retried
 * with a growing pause, each failure logged with its reason, for as long as it takes (the
 * HTTP server is already up, `/readyz` says `bot` is down meanwhile). Telegram refusing the
 * token (401, or 404 for a token it cannot even route) ends start-up with
 * {@link TelegramTokenRejectedError}: retrying a wrong token cannot help.
 *
 * Its own plain `Api` is used, without the bot's auto-retry transformer, which would wait out
 * network errors silently. No log line or error carries the token: reasons are built from
 * error codes and the API root's host, never from a message that may hold the request URL.
 *
 * @example
 * const me = await connectTelegram({ token, apiRoot, logger, signal });
 * bot.botInfo = me;
 */
import { Api, GrammyError, HttpError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from '../log.ts';

/** Telegram refused `BOT_TOKEN`: start-up cannot go on. The message is one line for the operator. */
export class TelegramTokenRejectedError extends Error {
  override readonly name = 'TelegramTokenRejectedError';
}

/** Start-up was stopped (a stop signal) while Telegram was still being reached. */
export class StartupAbortedError extends Error {
  override readonly name = 'StartupAbortedError';
}

/** Options of {@link connectTelegram}. */
export interface ConnectTelegramOptions {
  readonly token: string;
  /** `TELEGRAM_API_ROOT`, e.g. `https://api.telegram.org`. */
  readonly apiRoot: string;
  readonly logger: Logger;
  /** Aborting it ends the attempts with {@link StartupAbortedError}. */
  readonly signal?: AbortSignal;
  /** One attempt's limit (default 8 s: the first reason is logged well within 10 s). */
  readonly attemptTimeoutMs?: number;
  /** Pause after the first failure, doubled after each one up to `maxDelayMs` (defaults 1 s, 30 s). */
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** Asks Telegram who the bot is, retrying network errors; see the module comment. */
export async function connectTelegram(options: ConnectTelegramOptions): Promise<UserFromGetMe> {
  const { logger, signal } = options;
  const api = new Api(options.token, { apiRoot: options.apiRoot });
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 8_000;
  let delayMs = options.firstDelayMs ?? 1_000;
  const where = describeRoot(options.apiRoot);
  logger.info({ apiRoot: where }, 'connecting to Telegram (getMe)');
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new StartupAbortedError('stopped while connecting to Telegram');
    const attemptAbort = new AbortController();
    const timer = setTimeout(() => attemptAbort.abort(), attemptTimeoutMs);
    const onStop = () => attemptAbort.abort();
    signal?.addEventListener('abort', onStop, { once: true });
    try {
      // grammY types its signal parameter with its own AbortSignal shim.
      const me = await api.getMe(attemptAbort.signal as unknown as Parameters<typeof api.getMe>[0]);
      logger.info({ username: me.username, attempt }, 'connected to Telegram');
      return me;
    } catch (err) {
      if (signal?.aborted) throw new StartupAbortedError('stopped while connecting to Telegram');
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
        throw new TelegramTokenRejectedError(
          `Telegram refused BOT_TOKEN (${err.error_code} ${err.description}) at ${where}: the token is wrong or revoked; copy it again from @BotFather`,
        );
      }
      const reason = attemptAbort.signal.aborted ? `no answer within ${attemptTimeoutMs / 1000} s` : failureReason(err, where);
      logger.warn({ apiRoot: where, attempt, reason, retryInMs: delayMs }, 'cannot reach Telegram; retrying');
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onStop);
    }
    await pause(delayMs, signal);
    delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 30_000);
  }
}

/** The API root without anything secret-looking: scheme, host and port only. */
function describeRoot(apiRoot: string): string {
  try {
    return new URL(apiRoot).origin;
  } catch {
    return 'TELEGRAM_API_ROOT';
  }
}

/**
 * Why an attempt failed, in words, from error codes only. grammY wraps network failures in
 * `HttpError` whose `error` is node-fetch's `FetchError` (`code` like `ECONNREFUSED`, or
 * `type: 'invalid-json'` for an answer that is not the Bot API's); its message holds the
 * request URL, token included, so it is never used.
 */
function failureReason(err: unknown, where: string): string {
  if (err instanceof GrammyError) return `Telegram answered ${err.error_code} ${err.description}`;
  const inner = (err instanceof HttpError ? err.error : err) as { code?: unknown; type?: unknown } | undefined;
  const code = typeof inner?.code === 'string' ? inner.code : undefined;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DNS lookup for ${where} failed (${code})`;
    case 'ECONNREFUSED':
      return `connection to ${where} refused (${code}): nothing listens there`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection to ${where} was cut (${code})`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable (${code})`;
    default:
      if (inner?.type === 'invalid-json') return `the answer from ${where} is not the Bot API's (not JSON): check TELEGRAM_API_ROOT`;
      return code ? `network error (${code})` : 'network error';
  }
}

/** Waits `ms`, or less when `signal` aborts (the loop then throws). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
