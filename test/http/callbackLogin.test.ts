/**
 * The callback page over HTTP with the real login flow behind it and the local fake Spotify
 * in front: what the browser sees when Spotify refuses, and that a `HEAD` (a link preview)
 * leaves the single-use code to the `GET` that follows (issue 11, items 11 and 12).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CALLBACK_PATH } from '../../src/config.ts';
import { createCallbackRoute } from '../../src/http/callbackRoute.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';
import { rawRequest, requestText } from '../helpers/rawHttp.ts';

const ALICE = 1001;

let h: LinkHarness;
let server: HttpServer;
let port = 0;

/** `/login` and a browser that approves at Spotify; returns the callback's query values. */
async function authorize(userId: number): Promise<{ state: string; code: string }> {
  const { authorizeUrl } = await h.links.startLogin(userId);
  const redirect = await h.spotify.login(authorizeUrl);
  return { state: redirect.state!, code: redirect.code! };
}

const target = (q: { state: string; code: string }) =>
  `${CALLBACK_PATH}?state=${encodeURIComponent(q.state)}&code=${encodeURIComponent(q.code)}`;

const Callback = suite('callback over HTTP with the real flow');

Callback.before.each(async () => {
  h = await startLinkHarness({ timeoutMs: 300 });
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: h.logger,
    routes: [createCallbackRoute({ flow: h.links, botUsername: 'MusicLinkTestBot', logger: h.logger })],
  });
  ({ port } = await server.listen());
});
Callback.after.each(async () => {
  await server.close(1_000);
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
});

Callback('a forged code (Spotify: invalid_grant) is a 400 page, not a 502, and the user is told in Telegram', async () => {
  const { state } = await authorize(ALICE);
  const res = await rawRequest(port, requestText('GET', target({ state, code: 'forgedCodeThatSpotifyNeverIssued' })));
  assert.is(res.status, 400);
  assert.ok(res.body.includes('Send /login to the bot again'));
  assert.is(h.spotify.count('token', { grantType: 'authorization_code', status: 400 }), 1);
  assert.equal(h.noticesOf(ALICE), [{ kind: 'loginFailed', reason: 'rejectedBySpotify' }]);
});

Callback('an account Spotify refuses (not on the app user list, 403 on /me) is a 403 page and the user is told', async () => {
  h.spotify.setRegistered('alice', false);
  const res = await rawRequest(port, requestText('GET', target(await authorize(ALICE))));
  assert.is(res.status, 403);
  assert.ok(res.body.includes('Send /login to the bot again'));
  assert.is(h.spotify.count('me', { status: 403 }), 1);
  assert.equal(h.noticesOf(ALICE), [{ kind: 'loginFailed', reason: 'notRegistered' }]);
});

Callback('Spotify failing to answer stays a gateway error (502) with the "try again in a few minutes" page', async () => {
  const q = await authorize(ALICE);
  h.spotify.fail('token', { kind: 'server-error' });
  const res = await rawRequest(port, requestText('GET', target(q)));
  assert.is(res.status, 502);
  assert.ok(res.body.includes('in a few minutes'));
});

Callback('a HEAD first (link preview) spends nothing: the GET after it completes the login', async () => {
  const q = await authorize(ALICE);
  const head = await rawRequest(port, requestText('HEAD', target(q)));
  assert.is(head.status, 200);
  assert.is(head.body, '');
  assert.is(h.spotify.count('token'), 0, 'the code was not exchanged by the HEAD');
  const res = await rawRequest(port, requestText('GET', target(q)));
  assert.is(res.status, 303);
  assert.match(res.headers.location ?? '', /^https:\/\/t\.me\/MusicLinkTestBot\?start=[A-Za-z0-9_-]+$/);
  assert.is(h.spotify.count('token', { grantType: 'authorization_code', status: 200 }), 1);
  assert.is((await h.links.status(ALICE)).state, 'awaitingCallback.confirming');
});

Callback.run();
