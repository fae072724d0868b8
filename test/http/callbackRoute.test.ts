import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HttpServer } from '../../src/http/server.ts';
import { createCallbackRoute } from '../../src/http/callbackRoute.ts';
import { t } from '../../src/i18n/translate.ts';
import { createFakeCallbackFlow } from '../helpers/fakeCallbackFlow.ts';
import { healthAndCallbackRoutes, startLocalServer } from '../helpers/localServer.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';
import { rawRequest, requestText, type RawResponse } from '../helpers/rawHttp.ts';

const CALLBACK = '/oauth/spotify/callback';
// Distinctive values, so finding one in the log can only mean it was logged.
const S = {
  happy: 'stateHappyQ7w3Zr8uYp2Lk5Nm',
  unknown: 'stateUnknownF4g8Hj2Kl9Qw',
  expired: 'stateExpiredT6y1Ui3Op7As',
  replayed: 'stateReplayedD2f5Gh8Jk1Zx',
  denied: 'stateDeniedC9v4Bn6Mq3We',
  spotifyDown: 'stateSpotifyDownR5t8Yu2Io4',
  throws: 'stateThrowsP1a7Sd3Fg6Hj',
  missingCode: 'stateMissingCodeK8l2Zx5Cv',
  rejectedCode: 'stateRejectedCodeW3e8Rt1Yu',
  notRegistered: 'stateNotRegisteredM6n2Bv9Cx',
  previewed: 'statePreviewedH4j7Kl1Zq5',
  rejectedCodeRu: 'stateRejectedRuA5s9Df2Gh',
  notRegisteredRu: 'stateNotRegRuJ3k6Lz8Xc',
};
const CODE = 'codeValueAQBx9Yz-Secret_42';
const COMPLETION = 'cmpl_Happy-0123456789';

const flow = createFakeCallbackFlow({
  [S.happy]: { kind: 'pending', completionId: COMPLETION },
  [S.expired]: { kind: 'expired' },
  [S.replayed]: { kind: 'pending', completionId: 'cmpl_replayed-01234' },
  [S.denied]: { kind: 'pending', completionId: 'cmpl_denied-0123456' },
  [S.spotifyDown]: { kind: 'spotifyFailed', reason: 'spotifyUnavailable' },
  [S.rejectedCode]: { kind: 'spotifyFailed', reason: 'rejectedBySpotify' },
  [S.notRegistered]: { kind: 'spotifyFailed', reason: 'notRegistered' },
  [S.previewed]: { kind: 'pending', completionId: 'cmpl_previewed-0123' },
  [S.rejectedCodeRu]: { kind: 'spotifyFailed', reason: 'rejectedBySpotify' },
  [S.notRegisteredRu]: { kind: 'spotifyFailed', reason: 'notRegistered' },
  [S.throws]: { kind: 'throws' },
  [S.missingCode]: { kind: 'pending', completionId: 'cmpl_missing-012345' },
});
const log = createMemoryLogger();
let server: HttpServer;
let port = 0;

function assertSecurityHeaders(res: RawResponse): void {
  assert.is(res.headers['x-content-type-options'], 'nosniff');
  assert.is(res.headers['referrer-policy'], 'no-referrer');
  assert.is(res.headers['x-frame-options'], 'DENY');
  assert.is(res.headers['cache-control'], 'no-store');
  const csp = res.headers['content-security-policy'] ?? '';
  assert.ok(csp.includes("default-src 'none'"), csp);
  assert.not.ok(/https?:|\*/.test(csp), 'the CSP names no external source');
}

interface Row {
  readonly name: string;
  /** The request bytes; `Connection: close` included. */
  readonly request: string;
  /** Sent this many times; the last response is checked. */
  readonly times?: number;
  readonly status: number;
  readonly flowCalls: number;
  readonly headers?: Record<string, string>;
  /** Query values that must never show up in the log. */
  readonly secrets: readonly string[];
}

const get = (target: string, headers: Record<string, string> = {}) => requestText('GET', target, headers);
const long = 'L'.repeat(5_000);

const rows: Row[] = [
  { name: 'missing state', request: get(`${CALLBACK}?code=${CODE}`), status: 400, flowCalls: 0, secrets: [CODE] },
  { name: 'unknown state', request: get(`${CALLBACK}?state=${S.unknown}&code=${CODE}`), status: 400, flowCalls: 1, secrets: [S.unknown, CODE] },
  { name: 'expired state', request: get(`${CALLBACK}?state=${S.expired}&code=${CODE}`), status: 410, flowCalls: 1, secrets: [S.expired, CODE] },
  { name: 'state used twice (replayed callback)', request: get(`${CALLBACK}?state=${S.replayed}&code=${CODE}`), times: 2, status: 409, flowCalls: 2, secrets: [S.replayed, CODE, 'cmpl_replayed-01234'] },
  { name: 'missing code', request: get(`${CALLBACK}?state=${S.missingCode}`), status: 400, flowCalls: 0, secrets: [S.missingCode] },
  { name: 'error=access_denied', request: get(`${CALLBACK}?error=access_denied&state=${S.denied}`), status: 200, flowCalls: 1, secrets: [S.denied] },
  { name: 'both code and error', request: get(`${CALLBACK}?state=${S.happy}&code=${CODE}&error=access_denied`), status: 400, flowCalls: 0, secrets: [S.happy, CODE] },
  { name: 'parameters over the URL limit', request: get(`${CALLBACK}?state=${S.happy}&code=${CODE}&pad=${long}`), status: 414, flowCalls: 0, secrets: [S.happy, CODE, long] },
  { name: 'broken percent-encoding', request: get(`${CALLBACK}?state=${S.happy}%E0%A4%A&code=${CODE}`), status: 400, flowCalls: 0, secrets: [S.happy, CODE] },
  { name: 'invalid UTF-8 escape', request: get(`${CALLBACK}?state=${S.happy}&code=${CODE}%C0%80`), status: 400, flowCalls: 0, secrets: [S.happy, CODE] },
  { name: 'state too short', request: get(`${CALLBACK}?state=short123&code=${CODE}`), status: 400, flowCalls: 0, secrets: ['short123', CODE] },
  { name: 'state too long', request: get(`${CALLBACK}?state=${'s'.repeat(257)}&code=${CODE}`), status: 400, flowCalls: 0, secrets: ['s'.repeat(257), CODE] },
  { name: 'state with non-URL-safe text', request: get(`${CALLBACK}?state=${S.happy}%3Cscript%3E&code=${CODE}`), status: 400, flowCalls: 0, secrets: [S.happy, CODE] },
  { name: 'code with a control character', request: get(`${CALLBACK}?state=${S.happy}&code=${CODE}%01`), status: 400, flowCalls: 0, secrets: [S.happy, CODE] },
  { name: 'code over 1024 chars', request: get(`${CALLBACK}?state=${S.happy}&code=${'c'.repeat(1025)}`), status: 400, flowCalls: 0, secrets: [S.happy, 'c'.repeat(1025)] },
  { name: 'state given twice', request: get(`${CALLBACK}?state=${S.happy}&state=${S.unknown}&code=${CODE}`), status: 400, flowCalls: 0, secrets: [S.happy, S.unknown, CODE] },
  { name: 'POST on the callback', request: requestText('POST', `${CALLBACK}?state=${S.happy}&code=${CODE}`), status: 405, flowCalls: 0, headers: { allow: 'GET, HEAD' }, secrets: [S.happy, CODE] },
  { name: 'PUT on the callback', request: requestText('PUT', `${CALLBACK}?state=${S.happy}&code=${CODE}`, {}, 'x'), status: 405, flowCalls: 0, headers: { allow: 'GET, HEAD' }, secrets: [S.happy, CODE] },
  { name: 'DELETE on the callback', request: requestText('DELETE', `${CALLBACK}?state=${S.happy}&code=${CODE}`), status: 405, flowCalls: 0, headers: { allow: 'GET, HEAD' }, secrets: [S.happy, CODE] },
  { name: 'POST on /healthz', request: requestText('POST', '/healthz'), status: 405, flowCalls: 0, headers: { allow: 'GET, HEAD' }, secrets: [] },
  { name: 'unknown path', request: get(`/oauth/spotify/callbak?state=${S.happy}&code=${CODE}`), status: 404, flowCalls: 0, secrets: [S.happy, CODE] },
  { name: 'callback path with a trailing slash', request: get(`${CALLBACK}/?state=${S.happy}&code=${CODE}`), status: 404, flowCalls: 0, secrets: [S.happy, CODE] },
  { name: 'root path', request: get('/'), status: 404, flowCalls: 0, secrets: [] },
  { name: 'header too large', request: get(`${CALLBACK}?state=${S.happy}&code=${CODE}`, { 'X-Padding': 'p'.repeat(20_000) }), status: 431, flowCalls: 0, secrets: [S.happy, CODE] },
  { name: 'Spotify down (5xx, timeout) reported by the flow', request: get(`${CALLBACK}?state=${S.spotifyDown}&code=${CODE}`), status: 502, flowCalls: 1, secrets: [S.spotifyDown, CODE] },
  // Issue 11 item 11: a refusal is about this request, not a failure of ours (both were 502).
  { name: 'a code Spotify rejects (invalid_grant)', request: get(`${CALLBACK}?state=${S.rejectedCode}&code=${CODE}`), status: 400, flowCalls: 1, secrets: [S.rejectedCode, CODE] },
  { name: 'an account Spotify refuses (not registered)', request: get(`${CALLBACK}?state=${S.notRegistered}&code=${CODE}`), status: 403, flowCalls: 1, secrets: [S.notRegistered, CODE] },
  { name: 'a flow that throws', request: get(`${CALLBACK}?state=${S.throws}&code=${CODE}`), status: 500, flowCalls: 1, secrets: [S.throws, CODE] },
];

const Table = suite('callback route: bad input table');

Table.before(async () => {
  ({ server, port } = await startLocalServer({ logger: log.logger, routes: healthAndCallbackRoutes({ flow, botUsername: 'MusicLinkTestBot', logger: log.logger }) }));
});
Table.after(() => server.close(1_000));

for (const row of rows) {
  Table(`${row.name} → ${row.status}`, async () => {
    flow.calls.length = 0;
    log.clear();
    let res: RawResponse | undefined;
    for (let i = 0; i < (row.times ?? 1); i++) res = await rawRequest(port, row.request);
    assert.ok(res);
    assert.is(res.status, row.status, `${row.name}: ${res.raw.slice(0, 200)}`);
    assert.is(flow.calls.length, row.flowCalls, 'flow calls');
    assertSecurityHeaders(res);
    for (const [name, value] of Object.entries(row.headers ?? {})) assert.is(res.headers[name], value, name);
    const logged = log.text();
    assert.ok(logged.length > 0, 'the request was logged');
    for (const secret of row.secrets) assert.not.ok(logged.includes(secret), `log leaks a query value of "${row.name}"`);
    assert.not.ok(logged.includes('?'), 'no query string in the log');
    for (const secret of row.secrets) assert.not.ok(res.body.includes(secret), 'the page echoes nothing');
    // The process stays up and keeps answering.
    assert.is((await rawRequest(port, get('/healthz'))).status, 200);
  });
}

Table('a flow that throws logs the error once, without request values', async () => {
  log.clear();
  await rawRequest(port, get(`${CALLBACK}?state=${S.throws}&code=${CODE}`));
  const errors = log.records().filter((r) => r.level === 50);
  assert.is(errors.length, 1);
  assert.is((errors[0]?.err as { message?: string }).message, 'the fake flow exploded');
});

Table.run();

const Happy = suite('callback route: completed login');

Happy.before(async () => {
  ({ server, port } = await startLocalServer({ logger: log.logger, routes: [createCallbackRoute({ flow, botUsername: '@MusicLinkTestBot', logger: log.logger })] }));
});
Happy.after(() => server.close(1_000));

Happy('a completed login redirects to the bot with 303 and a Russian fallback page', async () => {
  flow.calls.length = 0;
  log.clear();
  const res = await rawRequest(port, get(`${CALLBACK}?code=${CODE}&state=${S.happy}`, { 'Accept-Language': 'ru-RU,ru;q=0.9,en;q=0.8' }));
  const link = `https://t.me/MusicLinkTestBot?start=${COMPLETION}`;
  assert.is(res.status, 303);
  assert.is(res.headers.location, link);
  assert.is(res.headers['referrer-policy'], 'no-referrer');
  assert.is(res.headers['cache-control'], 'no-store');
  assert.is(res.headers['content-type'], 'text/html; charset=utf-8');
  assertSecurityHeaders(res);
  assert.ok(res.body.includes('<html lang="ru">'));
  assert.ok(res.body.includes(t('ru', 'callback-return-button')));
  assert.ok(res.body.includes(`href="${link}"`), 'the button goes to the same link');
  assert.not.ok(res.body.includes(CODE) || res.body.includes(S.happy));
  assert.equal(flow.calls.map((c) => c.input), [{ state: S.happy, code: CODE }]);
  assert.match(flow.calls[0]?.ctx.correlationId ?? '', /^[0-9a-f-]{36}$/);
  assert.not.ok(log.text().includes(CODE) || log.text().includes(S.happy) || log.text().includes(COMPLETION));
  const line = log.records().find((r) => r.msg === 'http request');
  assert.is(line?.path, CALLBACK);
  assert.is(line?.status, 303);
  assert.is(line?.outcome, 'completed');
});

Happy('without Accept-Language the pages are in English', async () => {
  const res = await rawRequest(port, get(`${CALLBACK}?state=${S.expired}&code=${CODE}`));
  assert.is(res.status, 410);
  assert.ok(res.body.includes('<html lang="en">'));
  assert.ok(res.body.includes(t('en', 'callback-expired-heading')));
});

Happy('HEAD (a link preview) answers 200 without a body and leaves the code to the GET that follows', async () => {
  flow.calls.length = 0;
  const head = await rawRequest(port, requestText('HEAD', `${CALLBACK}?state=${S.previewed}&code=${CODE}`));
  assert.is(head.status, 200);
  assert.is(head.body, '');
  assertSecurityHeaders(head);
  assert.is(flow.calls.length, 0, 'the flow never saw the preview');
  const res = await rawRequest(port, get(`${CALLBACK}?state=${S.previewed}&code=${CODE}`));
  assert.is(res.status, 303, 'the login still completes');
  assert.is(res.headers.location, 'https://t.me/MusicLinkTestBot?start=cmpl_previewed-0123');
});

Happy('a HEAD with a broken query is still a 400 without a body', async () => {
  const res = await rawRequest(port, requestText('HEAD', `${CALLBACK}?code=${CODE}`));
  assert.is(res.status, 400);
  assert.is(res.body, '');
});

Happy('refusals by Spotify show the "send /login again" page in the reader\'s language', async () => {
  for (const [state, status] of [[S.rejectedCodeRu, 400], [S.notRegisteredRu, 403]] as const) {
    const res = await rawRequest(port, get(`${CALLBACK}?state=${state}&code=${CODE}`, { 'Accept-Language': 'ru' }));
    assert.is(res.status, status);
    assert.ok(res.body.includes(t('ru', 'callback-spotify-refused-heading')));
    assert.ok(res.body.includes(t('ru', 'callback-spotify-failed-text')));
  }
});

Happy('a completion id the flow got wrong never reaches a t.me link', async () => {
  const broken = createCallbackRoute({
    flow: { handleCallback: async () => ({ kind: 'completed', completionId: 'bad id/with?junk' }) },
    botUsername: 'MusicLinkTestBot',
    logger: log.logger,
  });
  const { server: other, port: p } = await startLocalServer({ logger: log.logger, routes: [broken] });
  try {
    const res = await rawRequest(p, get(`${CALLBACK}?state=${S.happy}&code=${CODE}`));
    assert.is(res.status, 500);
    assert.is(res.headers.location, undefined);
    assert.not.ok(res.body.includes('t.me'));
  } finally {
    await other.close(1_000);
  }
});

Happy('an impossible bot username is refused at start-up', () => {
  assert.throws(
    () => createCallbackRoute({ flow, botUsername: 'no spaces/allowed', logger: log.logger }),
    (err: Error & { code?: string }) => err.code === 'HTTP_ROUTE_CONFIG',
  );
});

Happy.run();
