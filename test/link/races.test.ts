/**
 * The races of issue 3, made deterministic by holding Spotify's answer at a gate: unlink
 * while a refresh is in flight, unlink racing with a callback, `/login` racing with a
 * callback and with a refresh, and a re-link while linked (the old link keeps serving tokens
 * until the new grant is confirmed; abandoning the re-link returns to `linked`). Each ends in
 * one well-defined state, and no token of an ended link stays decryptable.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DataKeyShreddedError } from '../../eventlog/index.ts';
import { NotLinkedError } from '../../src/link/errors.ts';
import type { TokenEndpoint } from '../../src/link/ports.ts';
import { REFRESH_MARGIN_MS } from '../../src/link/tokenRefresher.ts';
import type { AccountsClient, TokenGrant } from '../../src/spotify/accountsClient.ts';
import { sealedValuesInLog, startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

const ALICE = 1001;
const ctx = { locale: 'en' as const, correlationId: 'race' };

/** A promise with its resolver. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Holds the next answer of `method` (after Spotify gave it) until `release()`. */
class Gate {
  armed: 'refresh' | 'exchangeCode' | null = null;
  reached = deferred<TokenGrant>();
  #open = deferred();
  arm(method: 'refresh' | 'exchangeCode'): void {
    this.armed = method;
    this.reached = deferred<TokenGrant>();
    this.#open = deferred();
  }
  release(): void {
    this.#open.resolve();
  }
  wrap(real: AccountsClient): TokenEndpoint {
    const hold = async (method: 'refresh' | 'exchangeCode', call: Promise<TokenGrant>) => {
      const grant = await call;
      if (this.armed !== method) return grant;
      this.armed = null;
      this.reached.resolve(grant);
      await this.#open.promise;
      return grant;
    };
    return {
      authorizeUrl: (args) => real.authorizeUrl(args),
      exchangeCode: (args) => hold('exchangeCode', real.exchangeCode(args)),
      refresh: (token) => hold('refresh', real.refresh(token)),
    };
  }
}

let h: LinkHarness;
let gate: Gate;

async function expireToken(userId: number): Promise<void> {
  h.clock.t = (await h.links.status(userId)).link!.accessExpiresAt - REFRESH_MARGIN_MS;
}
/** No sealed value of `userId` in the log opens with any key the stream ever used. */
async function assertNothingDecryptable(userId: number): Promise<void> {
  const { values, keyIds } = await sealedValuesInLog(h.store);
  for (const v of values.filter((x) => x.userId === userId)) {
    for (const keyId of keyIds.get(userId) ?? []) {
      await h.vault.open(keyId, v.sealed, String(userId)).then(
        () => assert.unreachable(`${v.eventType}.${v.field} still opens`),
        (err) => assert.instance(err, DataKeyShreddedError),
      );
    }
  }
}
const types = async (userId: number) => (await h.events(userId)).map((e) => e.type);
const authorize = async (userId: number) => {
  const { authorizeUrl } = await h.links.startLogin(userId);
  return h.spotify.login(authorizeUrl);
};

const Races = suite('races');

Races.before.each(async () => {
  gate = new Gate();
  h = await startLinkHarness({ wrapAccounts: (real) => gate.wrap(real) });
});
Races.after.each(async () => {
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
});

Races('unlink while a refresh is in flight: the new tokens are dropped and the link stays unlinked', async () => {
  await h.link(ALICE);
  await expireToken(ALICE);
  gate.arm('refresh');
  const refreshing = h.links.accessToken(ALICE).then(
    () => assert.unreachable('the refresh must not hand out a token of an unlinked user'),
    (err) => err,
  );
  const fresh = await gate.reached.promise; // Spotify has answered; nothing recorded yet
  assert.is((await h.links.status(ALICE)).state, 'refreshing');
  assert.is(await h.links.unlink(ALICE), true, '/unlink is not stuck behind the refresh');
  gate.release();
  const err = await refreshing;
  assert.instance(err, NotLinkedError);
  assert.is((err as NotLinkedError).linkState, 'unlinked');
  assert.equal((await types(ALICE)).slice(-2), ['RefreshStarted', 'Unlinked']);
  assert.is((await h.links.status(ALICE)).state, 'unlinked');
  const { values } = await sealedValuesInLog(h.store);
  assert.is(values.filter((v) => v.eventType === 'TokensRefreshed').length, 0, 'the new tokens were never stored');
  assert.ok(!JSON.stringify(await h.events(ALICE)).includes(fresh.accessToken));
  await assertNothingDecryptable(ALICE);
  assert.equal(h.notices, []);
});

Races('unlink while the callback exchanges the code: nothing is linked and the grant is never stored', async () => {
  const redirect = await authorize(ALICE);
  gate.arm('exchangeCode');
  const callback = h.links.handleCallback({ state: redirect.state!, code: redirect.code! }, ctx);
  await gate.reached.promise;
  assert.is(await h.links.unlink(ALICE), true);
  gate.release();
  assert.equal(await callback, { kind: 'unknownState' });
  assert.equal(await types(ALICE), ['LoginStarted', 'Unlinked']);
  assert.is((await h.links.status(ALICE)).state, 'unlinked');
  await assertNothingDecryptable(ALICE);
  assert.equal(h.notices, [], 'no "login failed" for a login the user cancelled');
});

Races('unlink racing with a callback ends unlinked in every interleaving', async () => {
  for (let ticks = 0; ticks < 12; ticks++) {
    const user = ALICE + 100 + ticks;
    const redirect = await authorize(user);
    const callback = h.links.handleCallback({ state: redirect.state!, code: redirect.code! }, ctx);
    for (let i = 0; i < ticks; i++) await new Promise((r) => setImmediate(r));
    await h.links.unlink(user);
    const outcome = await callback;
    assert.ok(['completed', 'unknownState'].includes(outcome.kind), `${ticks} ticks: ${outcome.kind}`);
    if (outcome.kind === 'completed') assert.equal(await h.links.confirm(user, outcome.completionId), { kind: 'unknown' });
    assert.is((await h.links.status(user)).state, 'unlinked');
    await assertNothingDecryptable(user);
  }
  assert.equal(h.notices, []);
});

Races('a second /login while the first callback exchanges its code supersedes it', async () => {
  const first = await authorize(ALICE);
  gate.arm('exchangeCode');
  const callback = h.links.handleCallback({ state: first.state!, code: first.code! }, ctx);
  await gate.reached.promise;
  const second = await authorize(ALICE);
  gate.release();
  assert.equal(await callback, { kind: 'unknownState' });
  assert.equal(await types(ALICE), ['LoginStarted', 'LoginStarted']);
  const outcome = await h.links.handleCallback({ state: second.state!, code: second.code! }, ctx);
  assert.is(outcome.kind, 'completed');
});

Races('/login while a refresh is in flight waits for it instead of failing', async () => {
  await h.link(ALICE);
  await expireToken(ALICE);
  gate.arm('refresh');
  const token = h.links.accessToken(ALICE);
  await gate.reached.promise;
  const login = h.links.startLogin(ALICE);
  gate.release();
  const started = await login;
  assert.is(started.relink, true);
  assert.ok((await token).startsWith('fake-at-'));
  assert.equal((await types(ALICE)).slice(-3), ['RefreshStarted', 'TokensRefreshed', 'LoginStarted']);
});

Races('a re-link keeps the old link serving tokens until the new grant is confirmed', async () => {
  h.spotify.addUser({ id: 'bob' });
  await h.link(ALICE);
  const old = await h.links.accessToken(ALICE);
  const oldKey = (await h.links.status(ALICE)).link!.keyId;
  h.spotify.setLoginOutcome({ as: 'bob' });
  const redirect = await authorize(ALICE);
  assert.is(await h.links.accessToken(ALICE), old, 'served while waiting for the callback');
  const outcome = await h.links.handleCallback({ state: redirect.state!, code: redirect.code! }, ctx);
  assert.is((await h.links.status(ALICE)).state, 'awaitingCallback.confirming');
  assert.is(await h.links.accessToken(ALICE), old, 'served while waiting for /start');
  assert.is((await h.webApi.me(ALICE)).id, 'alice');
  assert.is(outcome.kind, 'completed');
  const confirmed = await h.links.confirm(ALICE, outcome.kind === 'completed' ? outcome.completionId : '');
  assert.is(confirmed.kind, 'linked');
  const now = await h.links.accessToken(ALICE);
  assert.is.not(now, old);
  assert.is((await h.webApi.me(ALICE)).id, 'bob', 'the new account is used');
  assert.is(await h.vault.hasDataKey(oldKey), false, "the replaced link's key is shredded");
});

Races('abandoning a re-link (Cancel at Spotify) returns to the old link', async () => {
  await h.link(ALICE);
  const old = await h.links.accessToken(ALICE);
  h.spotify.setLoginOutcome({ deny: true });
  const redirect = await authorize(ALICE);
  const attemptKey = (await h.links.status(ALICE)).attempt!.keyId;
  assert.equal(await h.links.handleCallback({ state: redirect.state!, error: redirect.error! }, ctx), { kind: 'denied' });
  assert.is((await h.links.status(ALICE)).state, 'linked');
  assert.is(await h.links.accessToken(ALICE), old);
  assert.is(await h.vault.hasDataKey(attemptKey), false);
  await expireToken(ALICE);
  assert.is.not(await h.links.accessToken(ALICE), old, 'and it refreshes as before');
});

Races.run();
