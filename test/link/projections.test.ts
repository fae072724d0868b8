/**
 * The link tables (`link_state`, `user_oauth_tokens`, `oauth_states`, `oauth_completions`)
 * after a realistic history of several users: what each holds, that a rebuild from the log
 * gives byte-identical tables, and that no table holds a token, code, state, verifier or
 * completion id in the clear.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { COMPLETION_TTL_MS, LOGIN_TTL_MS } from '../../machines/spotifyLink.context.ts';
import type { CompletionRow, LinkStateRow, OAuthStateRow, TokenRow } from '../../src/link/projections.ts';
import { sha256Hex } from '../../src/link/secrets.ts';
import { REFRESH_MARGIN_MS } from '../../src/link/tokenRefresher.ts';
import { dumpLinkTables, startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

const DAY = 24 * 3600_000;
const U = { relinked: 1, revoked: 2, denied: 3, foreign: 4, pending: 5, confirming: 6, unlinked: 7, failing: 8, expired: 9 };
const ctx = { locale: 'en' as const, correlationId: 'p' };

let h: LinkHarness;
const completionIds: string[] = [];
let pendingState = '';

async function refresh(userId: number): Promise<void> {
  h.clock.t = Math.max(h.clock.t, (await h.links.status(userId)).link!.accessExpiresAt - REFRESH_MARGIN_MS);
  await h.links.getAccessToken(userId).catch(() => undefined);
}

/** Nine users, each through a different part of the lifecycle, over half a year. */
async function history(): Promise<void> {
  for (const id of ['bob', 'carol']) h.spotify.addUser({ id });
  await h.link(U.relinked);
  await h.link(U.revoked, 'bob');
  await h.link(U.unlinked, 'carol');
  await h.link(U.failing);
  await refresh(U.relinked);
  await refresh(U.relinked);
  h.spotify.setLoginOutcome({ deny: true });
  const denied = await h.spotify.login((await h.links.startLogin(U.denied)).authorizeUrl);
  await h.links.callbackFlow.handle({ state: denied.state!, error: 'access_denied' }, ctx);
  completionIds.push(await h.loginThroughCallback(U.foreign));
  await h.links.confirm(U.relinked, completionIds[0]!);
  await h.loginThroughCallback(U.expired);
  h.clock.advance(COMPLETION_TTL_MS);
  await h.links.sweep();
  h.spotify.revokeRefreshTokens('bob');
  await refresh(U.revoked);
  await h.links.unlink(U.unlinked);
  h.spotify.fail('token', { kind: 'rate-limited', retryAfterSec: 600 });
  await refresh(U.failing);
  completionIds.push(await h.loginThroughCallback(U.relinked, 'carol')); // re-link to another account
  await h.links.confirm(U.relinked, completionIds[1]!);
  h.clock.advance(170 * DAY);
  await h.links.sweep(); // reminders
  h.spotify.setLoginOutcome({ as: 'alice' });
  pendingState = new URL((await h.links.startLogin(U.pending)).authorizeUrl).searchParams.get('state')!;
  completionIds.push(await h.loginThroughCallback(U.confirming));
}

const Tables = suite('projections');

Tables.before(async () => {
  h = await startLinkHarness();
  await history();
});
Tables.after(async () => {
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
});

Tables('link_state holds every user with the state the history left them in', async () => {
  const states: Record<number, string> = {};
  for await (const [key, row] of h.store.table<LinkStateRow>('link_state').entries()) {
    states[Number(key)] = row.summary.state;
    assert.is(row.version, (await h.events(Number(key))).length - 1);
  }
  assert.equal(states, {
    [U.relinked]: 'linked', [U.revoked]: 'revoked', [U.denied]: 'unlinked', [U.foreign]: 'unlinked',
    [U.pending]: 'awaitingCallback.pending', [U.confirming]: 'awaitingCallback.confirming',
    [U.unlinked]: 'unlinked', [U.failing]: 'linked', [U.expired]: 'unlinked',
  });
  const relinked = (await h.links.status(U.relinked)).link!;
  assert.is(relinked.spotifyUserId, 'carol');
  assert.is(relinked.reminderSent, true, 'the re-linked grant reached its own day 170');
  assert.is((await h.links.status(U.failing)).link?.reminderSent, true);
  assert.is((await h.links.status(U.failing)).lastRefreshFailure?.reason, 'rateLimited');
});

Tables('user_oauth_tokens holds the live links and the grant that waits for /start, nothing else', async () => {
  const rows = new Map<string, unknown>();
  for await (const [key, row] of h.store.table<unknown>('user_oauth_tokens').entries()) rows.set(key, row);
  const keys = [...rows.keys()].sort();
  assert.equal(keys, [`grant:${U.confirming}`, `grant:${U.pending}`, `link:${U.failing}`, `link:${U.relinked}`].sort());
  const link = rows.get(`link:${U.relinked}`) as TokenRow;
  assert.ok(link.spotifyUserId.startsWith('v1.'), 'the Spotify user id is sealed too');
  assert.is(await h.vault.open(link.keyId, link.spotifyUserId, String(U.relinked)), 'carol');
  assert.is(link.keyId, (await h.links.status(U.relinked)).link!.keyId);
  assert.is(link.refreshExpiresAt, link.grantedAt + 180 * DAY);
  assert.ok(link.accessToken.startsWith('v1.') && link.refreshToken.startsWith('v1.'), 'sealed');
  const grant = rows.get(`grant:${U.confirming}`) as Partial<TokenRow>;
  assert.ok(grant.spotifyUserId?.startsWith('v1.'), 'sealed until confirmed, and after');
  assert.ok(grant.accessToken?.startsWith('v1.'));
});

Tables('oauth_states and oauth_completions hold only hashes of live attempts', async () => {
  const states = new Map<string, OAuthStateRow | string>();
  for await (const [key, row] of h.store.table<OAuthStateRow | string>('oauth_states').entries()) states.set(key, row);
  const pending = states.get(sha256Hex(pendingState)) as OAuthStateRow;
  assert.is(pending.userId, U.pending);
  assert.is(pending.status, 'pending');
  assert.is(pending.expiresAt, h.clock.now() + LOGIN_TTL_MS);
  assert.is(states.get(`user:${U.pending}`), sha256Hex(pendingState));
  for (const ended of [U.foreign, U.expired, U.unlinked]) assert.is(states.get(`user:${ended}`), undefined);
  const completions = new Map<string, CompletionRow | string>();
  for await (const [key, row] of h.store.table<CompletionRow | string>('oauth_completions').entries()) completions.set(key, row);
  assert.equal([...completions.keys()].sort(), [sha256Hex(completionIds[2]!), `user:${U.confirming}`].sort());
  assert.is((completions.get(sha256Hex(completionIds[2]!)) as CompletionRow).userId, U.confirming);
});

Tables('no table holds a token, code, state, verifier or completion id in the clear', async () => {
  const dump = await dumpLinkTables(h.store);
  const secrets = h.spotify.secrets();
  assert.ok(secrets.some((s) => s.startsWith('fake-rt-')));
  assert.equal(h.spotify.leaksIn(dump), []);
  for (const id of completionIds) assert.not.ok(dump.includes(id), 'completion id');
  assert.not.ok(dump.includes(pendingState), 'state');
});

Tables('a rebuild from the log gives byte-identical tables, and verify finds no difference', async () => {
  const live = await dumpLinkTables(h.store);
  assert.equal(await h.store.verify(), []);
  const report = await h.store.rebuild();
  assert.is(report.events, h.store.headPosition() + 1);
  assert.is(await dumpLinkTables(h.store), live);
  assert.equal(await h.store.verify(), []);
  h.links.repo.forget(U.relinked); // reload from the rebuilt table: still usable
  assert.ok((await h.links.getAccessToken(U.relinked)).startsWith('fake-at-'));
});

Tables.run();
