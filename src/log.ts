/**
 * The one pino root logger and its redaction.
 *
 * Secrets reach log calls in three shapes, and each is handled here rather than trusted to
 * every caller:
 * - as a property (`{ accessToken }`, `headers.authorization`, `spotifyAccessToken`): any key
 *   {@link isSecretName} accepts, at any depth and in child-logger bindings, is replaced by
 *   `[redacted]`;
 * - inside a string (a URL with `?code=…&key=…`, the same URL-encoded inside another URL, JSON
 *   in a string such as a response body, a `Bearer …` header, a bot token in a Bot API URL, a
 *   proxy URL's `user:pass@`): {@link scrubText} rewrites the value;
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

/**
 * Endings that make a compound name secret (`spotifyAccessToken`, `pkceVerifier`,
 * `proxyPassword`, `tokenEncryptionKey`). `code` and `state` are not among them: `statusCode`,
 * `exitCode` and `linkState` are what an operator debugs with.
 */
const SECRET_SUFFIXES = [
  'token', 'secret', 'verifier', 'password', 'passwd', 'apikey', 'cookie', 'authorization',
  'masterkey', 'datakey', 'privatekey', 'secretkey', 'encryptionkey', 'credentials',
];

/** Names secret only as a URL query or form parameter (`?key=` is Google's API key; `?start=` a deep link's payload). */
const SECRET_PARAMS = new Set(['key', 'start', 'sig', 'signature', 'pass', 'pwd']);

const REDACTED = '[redacted]';

const normaliseKey = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

/** Whether a property or parameter named `name` holds a secret (exact names and compound endings). */
export function isSecretName(name: string): boolean {
  const k = normaliseKey(name);
  return SECRET_KEYS.has(k) || SECRET_SUFFIXES.some((suffix) => k.endsWith(suffix));
}

/**
 * `code` is both an OAuth secret and an error's stable code (`VERSION_CONFLICT`, `ECONNRESET`,
 * 429): the latter shapes are kept because they are what an operator debugs with.
 */
const isErrorCode = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(v));

function isSecretEntry(key: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const k = normaliseKey(key);
  if (k === 'code') return !isErrorCode(value);
  if (SECRET_KEYS.has(k)) return true;
  // `hasRefreshToken: true` says nothing secret; a compound name's string or object does.
  return typeof value !== 'boolean' && isSecretName(key);
}

/** `name=` and `name%3D` (also encoded twice: `%253D`): a parameter in a URL, a form body or free text. */
// The lookbehind starts a name only where a run of name characters starts: linear in the text.
const PARAM_NAME = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)(=|%(?:25)*3[Dd])/g;
/**
 * A parameter's value, raw or URL-encoded: it runs to `&`, `#`, a quote, space or `<`/`>`, or
 * to their percent-encodings (`%26`, `%23`, …, also encoded twice), so in
 * `continue=https%3A%2F%2F…%3Fcode%3D<secret>%26lang%3Den` only the secret goes.
 */
const PARAM_VALUE = /(?:%(?!(?:25)*(?:26|23|22|20|3C|3E))[0-9A-Fa-f]{2}|[^&#%\s"'<>])*/y;
/**
 * `"name":"value"` in JSON inside a string, also escaped once or more (`\"name\":\"value\"`).
 * The value runs to the next quote or backslash: tokens hold neither.
 */
const JSON_PAIR = /(?<!\\)((\\*)"([A-Za-z0-9_.-]+)\2"\s*:\s*\2")([^"\\]*)/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
// No leading \b: in Bot API URLs the token follows "bot" directly (`/bot123:AA…/getMe`).
const BOT_TOKEN = /(?<![0-9])\d{5,}:[A-Za-z0-9_-]{30,}/g;
/** Credentials in a URL (`http://user:pass@proxy:3128`, `socks5://token@host`): the whole userinfo goes. */
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

/** Whether a parameter name is secret; right after a `%`, its leading hex digits belong to the escape (`%3Fcode`). */
function isSecretParam(name: string, precededByPercent: boolean): boolean {
  const bare = precededByPercent ? name.replace(/^(?:25)*[0-9A-Fa-f]{2}/, '') : name;
  return isSecretName(bare) || SECRET_PARAMS.has(normaliseKey(bare));
}

/**
 * Redacts the values of secret parameters. Names are found without consuming values, so a
 * secret parameter URL-encoded inside another parameter's value is found too.
 */
function scrubParams(text: string): string {
  let out = '';
  let done = 0;
  for (const m of text.matchAll(PARAM_NAME)) {
    const start = m.index + m[0].length;
    if (m.index < done || !isSecretParam(m[1]!, text[m.index - 1] === '%')) continue;
    PARAM_VALUE.lastIndex = start;
    const end = start + PARAM_VALUE.exec(text)![0].length;
    if (end === start) continue;
    out += text.slice(done, start) + REDACTED;
    done = end;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** Replaces secret-looking fragments inside free text (URLs, JSON, headers, bot tokens, proxy credentials). */
export function scrubText(text: string): string {
  const json = text.replace(JSON_PAIR, (all, head: string, _esc: string, name: string) => (isSecretName(name) ? `${head}${REDACTED}` : all));
  return scrubParams(json.replace(USERINFO, `$1${REDACTED}@`)).replace(BEARER, `$1 ${REDACTED}`).replace(BOT_TOKEN, REDACTED);
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
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: redactValue, error: redactValue },
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redactDeep(obj) as Record<string, unknown>,
        bindings: (b) => redactDeep(b) as Record<string, unknown>,
      },
      hooks: {
        // Message strings and format arguments are scrubbed too: `log.info(url)` and
        // `log.info('%j', body)` must be safe.
        logMethod(args, method) {
          // `log.error(err)` makes pino copy err.message into msg unseen by formatters.
          const first = args[0] as unknown;
          if (first instanceof Error && typeof args[1] !== 'string') args = [{ err: first }, first.message] as typeof args;
          const cleaned = args.map((a, i) => (typeof a === 'string' ? scrubText(a) : i === 0 ? a : redactDeep(a)));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
  // pino applies `formatters.bindings` to the root's base only: a child's bindings are
  // written as given. Children inherit `child` from the root, so this covers every level.
  const pinoChild = logger.child;
  logger.child = function child(this: Logger, bindings, childOptions) {
    return pinoChild.call(this, redactDeep(bindings) as typeof bindings, childOptions);
  } as typeof logger.child;
  return logger;
}
