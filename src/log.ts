/**
 * The one pino root logger and its redaction.
 *
 * Secrets reach log calls in three shapes, and each is handled here rather than trusted to
 * every caller:
 * - as a property (`{ accessToken }`, `headers.authorization`): any key in {@link SECRET_KEYS},
 *   at any depth, is replaced by `[redacted]`;
 * - inside a string (a URL with `?code=…&state=…`, a `Bearer …` header, a bot token in a
 *   Bot API URL): {@link scrubText} rewrites the value;
 * - inside an error (`err.message`, `err.stack`, extra properties): errors are serialised and
 *   then walked like any other object.
 *
 * @example
 * const root = createLogger({ level: 'info' });
 * const log = root.child({ module: 'http' });
 * log.info({ path: '/healthz', status: 200 }, 'request');
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Property names whose values are never logged (compared lower-case, `-` and `_` removed). */
export const SECRET_KEYS: ReadonlySet<string> = new Set(
  [
    'token', 'accesstoken', 'refreshtoken', 'idtoken', 'bottoken', 'apptoken',
    'code', 'authcode', 'authorizationcode', 'state', 'oauthstate',
    'verifier', 'codeverifier', 'pkceverifier', 'codechallenge',
    'secret', 'clientsecret', 'webhooksecret', 'secrettoken', 'xtelegrambotapisecrettoken',
    'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'password', 'apikey',
    'masterkey', 'datakey', 'completionid', 'sealed',
  ].map((k) => k.toLowerCase()),
);

const REDACTED = '[redacted]';

const SECRET_KEY_SPELLINGS = [
  'token', 'accessToken', 'access_token', 'refreshToken', 'refresh_token', 'code', 'state',
  'verifier', 'codeVerifier', 'code_verifier', 'secret', 'clientSecret', 'client_secret',
  'authorization', 'Authorization', 'completionId', 'sealed',
];

/**
 * `code` is both an OAuth secret and an error's stable code (`VERSION_CONFLICT`, `ECONNRESET`,
 * 429): the latter shapes are kept because they are what an operator debugs with.
 */
const isErrorCode = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(v));

function isSecretEntry(key: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const k = normaliseKey(key);
  if (k === 'code') return !isErrorCode(value);
  return SECRET_KEYS.has(k);
}

const normaliseKey = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

/** Query parameters whose values are secrets when they appear inside a logged string. */
const SECRET_PARAM = /(\b(?:code|state|access_token|refresh_token|token|code_verifier|client_secret|start|secret)=)[^&#\s"']*/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
// No leading \b: in Bot API URLs the token follows "bot" directly (`/bot123:AA…/getMe`).
const BOT_TOKEN = /(?<![0-9])\d{5,}:[A-Za-z0-9_-]{30,}/g;

/** Replaces secret-looking fragments inside free text (URLs, headers, bot tokens). */
export function scrubText(text: string): string {
  return text.replace(SECRET_PARAM, `$1${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`).replace(BOT_TOKEN, REDACTED);
}

/** Returns a copy of `value` with every secret property and fragment redacted. */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return redactDeep(serializeError(value), depth + 1, seen);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretEntry(k, v) ? REDACTED : redactDeep(v, depth + 1, seen);
  }
  return out;
}

function serializeError(err: Error): Record<string, unknown> {
  const plain = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  // `cause` chains can carry a response body or a request URL: walk them like the rest.
  if (err.cause !== undefined && plain.cause === undefined) plain.cause = err.cause;
  return plain;
}

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  level?: LoggerOptions['level'];
  /** Where lines go; stdout when omitted. Tests pass a memory stream. */
  destination?: DestinationStream;
  /** Fields on every line (e.g. `{ service: 'bot' }`). */
  base?: Record<string, unknown>;
}

/**
 * Creates the root logger. Every object and error passed to it, and every message string,
 * goes through {@link redactDeep} / {@link scrubText} before it is written.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const redactValue = (v: unknown) => redactDeep(v);
  // Child-logger bindings skip `formatters.log`, but pino runs serializers on them: one per
  // secret key name in the spellings callers use (`state`, `accessToken`, `access_token`).
  const bindingSerializers = Object.fromEntries(
    SECRET_KEY_SPELLINGS.map((k) => [k, (v: unknown) => (isSecretEntry(k, v) ? REDACTED : redactValue(v))]),
  );
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { ...bindingSerializers, err: redactValue, error: redactValue },
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redactDeep(obj) as Record<string, unknown>,
        bindings: (b) => redactDeep(b) as Record<string, unknown>,
      },
      hooks: {
        // Message strings and format arguments are scrubbed too: `log.info(url)` must be safe.
        logMethod(args, method) {
          // `log.error(err)` makes pino copy err.message into msg unseen by formatters.
          const first = args[0] as unknown;
          if (first instanceof Error && typeof args[1] !== 'string') args = [{ err: first }, first.message] as typeof args;
          const cleaned = args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
