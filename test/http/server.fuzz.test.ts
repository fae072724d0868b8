/**
 * Property-based fuzzing of the whole HTTP server (router, limits, strict decoding, callback
 * validation, the real webhook route with its secret check over a grammY bot) with raw
 * requests: random methods, paths, query strings with random bytes and
 * percent-escapes, headers of random size and bodies. No answer may be a 5xx, every request
 * gets a status line, nothing is logged with a query string, and the process stays up.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { HttpServer } from '../../src/http/server.ts';
import { Bot, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { BotContext } from '../../src/bot/context.ts';
import { createWebhookRoute } from '../../src/bot/webhookRoute.ts';
import { createFakeCallbackFlow } from '../helpers/fakeCallbackFlow.ts';
import { healthAndCallbackRoutes, startLocalServer } from '../helpers/localServer.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';
import { rawRequest } from '../helpers/rawHttp.ts';

const RUNS = 2_000;
const KNOWN_STATES = ['knownStateAAAAAAAAAAAA', 'expiredStateBBBBBBBBBB'];

const Fuzz = suite('http server fuzz');
const log = createMemoryLogger('debug');
const flow = createFakeCallbackFlow({
  [KNOWN_STATES[0]!]: { kind: 'pending', completionId: 'fuzzCompletion-0123' },
  [KNOWN_STATES[1]!]: { kind: 'expired' },
});
// The real webhook route over a grammY bot whose API calls never leave the process.
const WEBHOOK_SECRET = 'fuzz_webhook_secret_0123456789';
const bot = new Bot<BotContext>('42:AAfuzz', { botInfo: { id: 42, is_bot: true, first_name: 'F', username: 'FuzzTestBot' } as UserFromGetMe });
bot.api.config.use((async () => ({ ok: true, result: true })) as unknown as Transformer);
const updates: number[] = [];
bot.use((ctx) => void updates.push(ctx.update.update_id));
const webhook = createWebhookRoute({ bot, secret: WEBHOOK_SECRET, logger: log.logger, maxBodyBytes: 2_048 });
let server: HttpServer;
let port = 0;
const crashes: unknown[] = [];
const onCrash = (err: unknown) => crashes.push(err);

Fuzz.before(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  ({ server, port } = await startLocalServer({
    logger: log.logger,
    routes: [...healthAndCallbackRoutes({ flow, botUsername: 'FuzzTestBot', logger: log.logger }), webhook],
    // Short timeouts: a generated request that leaves the server waiting must end quickly.
    limits: { headersTimeoutMs: 2_000, requestTimeoutMs: 2_000 },
  }));
});
Fuzz.after(async () => {
  await server.close(1_000);
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
});

const hex = fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).toUpperCase().padStart(2, '0'));
/** One piece of a request target: plain URL text, raw high/odd bytes, good or broken escapes. */
const targetPiece = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/), weight: 6 },
  { arbitrary: fc.constantFrom('/', '?', '&', '=', '+', '#', ';', '%', '%%', '%2', '%E0%A4%A', '%C0%80', '%00', '%ZZ', '..', '//', '\\', '"', '<', '>'), weight: 3 },
  { arbitrary: hex.map((h) => `%${h}`), weight: 3 },
  { arbitrary: fc.integer({ min: 0x21, max: 0xff }).map((b) => String.fromCharCode(b)), weight: 1 },
  { arbitrary: fc.constantFrom('state=', 'code=', 'error=access_denied', 'state=knownStateAAAAAAAAAAAA', 'state=expiredStateBBBBBBBBBB'), weight: 2 },
);
const path = fc.oneof(
  { arbitrary: fc.constant('/oauth/spotify/callback'), weight: 6 },
  { arbitrary: fc.constantFrom('/healthz', '/readyz', '/telegram/webhook', '/', '/favicon.ico', '/oauth/spotify/callback/'), weight: 3 },
  { arbitrary: fc.array(targetPiece, { maxLength: 12 }).map((parts) => `/${parts.join('')}`), weight: 2 },
  { arbitrary: fc.array(targetPiece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')), weight: 1 },
);
const queryValue = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{0,300}$/), weight: 3 },
  { arbitrary: fc.array(targetPiece, { maxLength: 20 }).map((p) => p.join('')), weight: 2 },
  { arbitrary: fc.constantFrom(...KNOWN_STATES, 'access_denied', ''), weight: 3 },
);
const query = fc.oneof(
  { arbitrary: fc.constant(''), weight: 1 },
  {
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom('state', 'state', 'code', 'code', 'error', 'x', 'st%61te', ''), queryValue), { maxLength: 5 })
      .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
    weight: 6,
  },
  {
    // Plausible callbacks, so that many requests reach the flow (and some values fail by a little).
    arbitrary: fc
      .tuple(
        fc.oneof(fc.constantFrom(...KNOWN_STATES), fc.stringMatching(/^[A-Za-z0-9_-]{14,40}$/)),
        fc.oneof(fc.stringMatching(/^code=[A-Za-z0-9._~%-]{0,40}$/), fc.constantFrom('error=access_denied', 'error=server_error')),
      )
      .map(([st, second]) => `?state=${st}&${second}`),
    weight: 4,
  },
  { arbitrary: fc.array(targetPiece, { maxLength: 30 }).map((p) => `?${p.join('')}`), weight: 2 },
  { arbitrary: fc.integer({ min: 3_000, max: 20_000 }).map((n) => `?state=${'s'.repeat(n)}`), weight: 1 },
);
const method = fc.constantFrom('GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'BREW', 'get');
const header = fc.tuple(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
  fc.oneof(
    { arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,60}$/), weight: 12 },
    { arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => 'h'.repeat(n)), weight: 1 },
  ),
);
const acceptLanguage = fc.oneof(fc.constantFrom('ru', 'en-US,en;q=0.5', 'uk;q=0.1,de', '*', ';;q=', 'ru;q=abc'), fc.stringMatching(/^[\x20-\x7e]{0,40}$/));
/** Telegram-like updates, whole or broken, so that requests with the right secret reach the bot. */
const updateBody = fc.oneof(
  fc.integer({ min: 1, max: 2 ** 31 }).map((id) => JSON.stringify({ update_id: id, message: { message_id: 1, date: 1, chat: { id: 7, type: 'private' }, from: { id: 7, is_bot: false, first_name: 'U' }, text: '/help' } })),
  fc.integer({ min: -5, max: 2 ** 31 }).map((id) => JSON.stringify({ update_id: id })),
  fc.constantFrom('{', '[]', 'null', '{"update_id":"1"}', '{"update_id":1,"message":7}', '\u0000'),
  fc.json({ maxDepth: 3 }),
);
const body = fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.integer({ min: 1_000, max: 5_000 }).map((n) => 'b'.repeat(n)), updateBody);
/** The webhook secret header: right, wrong or absent. */
const secretHeader = fc.oneof(fc.constant(WEBHOOK_SECRET), fc.constant(undefined), fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/));

const request = fc.oneof(
  { arbitrary: fc.record({ method, path, query, headers: fc.array(header, { maxLength: 4 }), acceptLanguage, body, secret: secretHeader }), weight: 4 },
  {
    // Telegram's own shape of call, so that many reach the webhook route and the bot.
    arbitrary: fc.record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET'),
      path: fc.constant('/telegram/webhook'),
      query: fc.constantFrom('', '?x=1'),
      headers: fc.array(header, { maxLength: 2 }),
      acceptLanguage,
      body: fc.oneof({ arbitrary: updateBody, weight: 4 }, { arbitrary: body, weight: 1 }),
      secret: fc.oneof({ arbitrary: fc.constant(WEBHOOK_SECRET), weight: 3 }, { arbitrary: secretHeader, weight: 1 }),
    }),
    weight: 1,
  },
);

Fuzz(`${RUNS} generated requests: no 5xx, always a status line, no crash`, async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const lines = [`${r.method} ${r.path}${r.query} HTTP/1.1`, 'Host: 127.0.0.1', `Accept-Language: ${r.acceptLanguage}`];
      for (const [name, value] of r.headers) {
        if (!/^(content-length|transfer-encoding|connection|host|expect)$/i.test(name)) lines.push(`${name}: ${value}`);
      }
      if (r.secret !== undefined) lines.push(`X-Telegram-Bot-Api-Secret-Token: ${r.secret}`);
      if (r.body !== '') lines.push(`Content-Length: ${Buffer.byteLength(r.body)}`);
      lines.push('Connection: close');
      const res = await rawRequest(port, Buffer.from(`${lines.join('\r\n')}\r\n\r\n${r.body}`, 'latin1'), 10_000);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      return res.status >= 200 && res.status < 500;
    }),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
  );
  if (process.env.FUZZ_VERBOSE) console.log([...statuses].sort());
  assert.equal(crashes, []);
  assert.ok(flow.calls.length > 0, 'some requests got through validation to the flow');
  assert.ok(updates.length > 0, 'some webhook requests reached the bot');
  // Sanity: the fuzz reached the interesting answers, not just one kind of rejection.
  for (const status of [200, 400, 404, 405]) assert.ok((statuses.get(status) ?? 0) > 0, `saw ${status}: ${[...statuses]}`);
  const paths = log.records().map((l) => l.path).filter((p): p is string => typeof p === 'string');
  assert.ok(paths.length > 0);
  assert.not.ok(paths.some((p) => p.includes('?')), 'no query string was logged');
  const after = await rawRequest(port, 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
  assert.is(after.status, 200, 'the server still answers');
});

Fuzz.run();
