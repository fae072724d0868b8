/**
 * Property tests of log redaction through the real pino logger (`createLogger` writing to a
 * memory stream): a random secret, in every shape a secret reaches a log call, never appears
 * in the output; ordinary text comes out unchanged.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, type Logger } from '../src/log.ts';

/**
 * The alphabet of the tokens the bot handles: OAuth access/refresh tokens, codes, PKCE
 * verifiers (RFC 7636 §4.1: `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`) and webhook
 * secrets (`A-Z a-z 0-9 _ -`, Bot API setWebhook).
 */
const ALPHABET = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'];
const secretArb = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 12, maxLength: 80 });

/** Property names a secret travels under, including compound ones (`spotifyAccessToken`). */
const KEY_NAMES = [
  'token', 'accessToken', 'access_token', 'refresh_token', 'spotifyAccessToken', 'spotifyRefreshToken', 'botToken',
  'code', 'state', 'pkceVerifier', 'codeVerifier', 'code_verifier', 'clientSecret', 'client_secret', 'webhookSecret',
  'authorization', 'Proxy-Authorization', 'cookie', 'password', 'proxyPassword', 'apiKey', 'api_key', 'tokenEncryptionKey',
];
/** Names a secret travels under inside a URL query or a form body. */
const PARAM_NAMES = ['code', 'state', 'access_token', 'refresh_token', 'token', 'code_verifier', 'client_secret', 'key', 'api_key', 'start', 'password'];

/** A stable error code is kept on purpose (see `isErrorCode` in log.ts): an all-caps word under `code` is one. */
const looksLikeErrorCode = (name: string, secret: string) => name === 'code' && /^[A-Z][A-Z0-9_]{1,40}$/.test(secret);

function memoryLogger(): { log: Logger; output: () => Promise<string> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  const log = createLogger({ level: 'trace', destination });
  return { log, output: () => new Promise((r) => setImmediate(r)).then(() => chunks.join('')) };
}

/** Every shape a secret reaches the logger in; each logs at least one line. */
const FORMS: Record<string, (log: Logger, secret: string, key: string, param: string) => void> = {
  'as a key': (log, s, key) => log.info({ [key]: s }, 'tokens stored'),
  'as a nested key': (log, s, key) => log.warn({ request: { body: { grant: [{ [key]: s }] } } }, 'token request'),
  'as a child binding': (log, s, key) => log.child({ module: 'oauth', [key]: s }).info('child'),
  'inside a string message': (log, s, key, param) => {
    log.info(`callback received ${param}=${s} from Spotify`);
    log.info('header %s', `Authorization: Bearer ${s}`);
    log.info('answer %j', { nested: { [key]: s } });
  },
  'inside JSON in a string': (log, s, key) => {
    const body = JSON.stringify({ token_type: 'Bearer', [key]: s, expires_in: 3600 });
    log.warn({ body }, 'token endpoint answered');
    log.warn(`token endpoint answered ${body}`);
    log.warn({ wrapped: JSON.stringify({ response: body }) }, 'JSON in JSON');
    log.warn({ pretty: JSON.stringify({ [key]: s }, null, 2) }, 'indented JSON');
  },
  'URL-encoded in a URL': (log, s, _key, param) => {
    const inner = `https://bot.example/oauth/spotify/callback?${param}=${s}&lang=en`;
    log.info({ url: `https://accounts.spotify.com/login?continue=${encodeURIComponent(inner)}` }, 'redirect');
    log.info(`redirect to https://accounts.spotify.com/login?continue=${encodeURIComponent(encodeURIComponent(inner))}`);
  },
  'as a query value': (log, s, _key, param) => {
    log.info({ url: `https://www.googleapis.com/youtube/v3/videos?id=dQw4w9WgXcQ&${param}=${s}#t=1` }, 'fetch');
    log.info(`POST body grant_type=authorization_code&${param}=${s}`);
  },
  'in a proxy URL': (log, s) => {
    log.info({ proxy: `http://user:${s}@proxy.example:3128` }, 'proxy');
    log.info(`yt-dlp --proxy socks5://${s}:pass@127.0.0.1:1080 https://youtu.be/x`);
    log.info({ proxy: `https://${s}@proxy.example/` }, 'token as the user');
  },
  'in an error message and its cause': (log, s, key, param) => {
    const cause = new Error(`upstream said {"${key}":"${s}"}`);
    const err = Object.assign(new Error(`fetch https://api.example/x?${param}=${s} via http://u:${s}@proxy.example failed`, { cause }), {
      [key]: s,
      code: 'ECONNRESET',
    });
    log.error(err);
    log.error({ err }, 'failed');
    log.error({ error: new Error('outer', { cause: err }) }, 'nested');
  },
};

/** `fc.assert`, but the failure's own message reaches uvu's report (it prints no `cause`). */
async function check<T>(property: fc.IAsyncProperty<T>, params: fc.Parameters<T>): Promise<void> {
  const result = await fc.check(property, params);
  if (result.failed) assert.unreachable(`${fc.defaultReportMessage(result)}\n${String(result.errorInstance)}`);
}

const Props = suite('log redaction (properties)');

for (const [form, write] of Object.entries(FORMS)) {
  Props(`a random secret ${form} never reaches the output`, async () => {
    await check(
      fc.asyncProperty(secretArb, fc.constantFrom(...KEY_NAMES), fc.constantFrom(...PARAM_NAMES), async (secret, key, param) => {
        fc.pre(!looksLikeErrorCode(key, secret));
        const { log, output } = memoryLogger();
        write(log, secret, key, param);
        const out = await output();
        if (out.includes(secret)) throw new Error(`secret ${JSON.stringify(secret)} leaked ${form}:\n${out}`);
        if (!out.includes('[redacted]')) throw new Error(`nothing was redacted:\n${out}`);
      }),
      { numRuns: 150 },
    );
  });
}

Props('ordinary text, URLs and fields come out unchanged', async () => {
  await check(
    fc.asyncProperty(fc.lorem({ maxCount: 12 }), async (words) => {
      const { log, output } = memoryLogger();
      log.info({ note: words }, words);
      const line = JSON.parse(await output());
      assert.is(line.msg, words);
      assert.is(line.note, words);
    }),
    { numRuns: 100 },
  );
  const { log, output } = memoryLogger();
  const plain = [
    'GET https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s&list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs answered 200',
    'https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT?si=1a2b3c4d5e6f7a8b',
    'link state: linked; next check at 2026-01-01T00:00:00.000Z (user 123456789)',
    'https://soundcloud.com/artist/track-name (key: youtube:dQw4w9WgXcQ)',
    'mailto:someone@example.org and user@host are not URLs with credentials',
  ];
  for (const text of plain) log.info(text);
  log.info({ statusCode: 401, code: 'VERSION_CONFLICT', hasRefreshToken: true, tokenType: 'Bearer', expiresIn: 3600, cacheKey: 'yt:dQw4w9WgXcQ' }, 'fields');
  const lines = (await output()).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.slice(0, plain.length).map((l) => l.msg), plain);
  const fields = lines[plain.length];
  assert.equal(
    [fields.statusCode, fields.code, fields.hasRefreshToken, fields.tokenType, fields.expiresIn, fields.cacheKey],
    [401, 'VERSION_CONFLICT', true, 'Bearer', 3600, 'yt:dQw4w9WgXcQ'],
  );
});

Props.run();
