/**
 * The link tables (`link_state`, `user_oauth_tokens`, `oauth_states`, `oauth_completions`)
 * after a realistic history of several users: what each holds, that a rebuild from the log
 * gives byte-identical tables, and that no table holds a token, code, state, verifier or
 * completion id in the clear.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { COMPLETION_TTL_MS, LOGIN_TTL_MS } from '../../machines/spotifyLink.context.ts';
import { MemoryLevel } from 'memory-level';
import type { RootDb } from '../../eventlog/index.ts';
import { openLinkTables, type LinkTables, type ReadTable } from '../../src/link/linkTables.ts';
import { sha256Hex } from '../../src/link/secrets.ts';
import { REFRESH_MARGIN_MS } from '../../src/link/tokenRefresher.ts';
import { dumpLinkTables, startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

const DAY = 24 * 3600_000;
const U = { relinked: 1, revoked: 2, denied: 3, foreign: 4, pending: 5, confirming: 6, unlinked: 7, failing: 8, expired: 9 };
const ctx = { correlationId: 'p' };

let h: LinkHarness;
let tables: LinkTables;
/** The harness's db, kept open across a restart of the service. */
const db = new MemoryLevel() as unknown as RootDb;
const completionIds: string[] = [];
let pendingState = '';

async function rowsOf<Row>(table: ReadTable<Row>): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  for await (const [key, row] of table.entries()) rows.set(key, row);
  return rows;
}

async function refresh(userId: number): Promise<void> {
  h.clock.t = Math.max(h.clock.t, (await h.links.status(userId)).link!.accessExpiresAt - REFRESH_MARGIN_MS);
  await h.links.accessToken(userId).catch(() => undefined);
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
  await h.links.handleCallback({ state: denied.state!, error: 'access_denied' }, ctx);
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
  h = await startLinkHarness({ db });
  tables = openLinkTables(h.store);
  await history();
});
Tables.after(async () => {
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
  await h.spotify.close();
  await db.close();
});

Tables('link_state holds every user with the state the history left them in', async () => {
  const states: Record<number, string> = {};
  for await (const [key, row] of tables.linkState.entries()) {
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
  const links = await rowsOf(tables.tokens);
  const grants = await rowsOf(tables.pendingGrants);
  assert.equal([...links.keys()].sort(), [String(U.failing), String(U.relinked)].sort());
  assert.equal([...grants.keys()].sort(), [String(U.confirming), String(U.pending)].sort());
  const link = links.get(String(U.relinked))!;
  assert.ok(link.spotifyUserId.startsWith('v1.'), 'the Spotify user id is sealed too');
  assert.is(await h.vault.open(link.keyId, link.spotifyUserId, String(U.relinked)), 'carol');
  assert.is(link.keyId, (await h.links.status(U.relinked)).link!.keyId);
  assert.is(link.refreshExpiresAt, link.grantedAt + 180 * DAY);
  assert.ok(link.accessToken.startsWith('v1.') && link.refreshToken.startsWith('v1.'), 'sealed');
  const grant = grants.get(String(U.confirming))!;
  assert.ok(grant.spotifyUserId?.startsWith('v1.'), 'sealed until confirmed, and after');
  assert.ok(grant.accessToken?.startsWith('v1.'));
});

Tables('oauth_states and oauth_completions hold only hashes of live attempts', async () => {
  const states = await rowsOf(tables.oauthStates);
  const stateOfUser = await rowsOf(tables.oauthStateOfUser);
  const pending = states.get(sha256Hex(pendingState))!;
  assert.is(pending.userId, U.pending);
  assert.is(pending.status, 'pending');
  assert.is(pending.expiresAt, h.clock.now() + LOGIN_TTL_MS);
  assert.is(stateOfUser.get(String(U.pending)), sha256Hex(pendingState));
  for (const ended of [U.foreign, U.expired, U.unlinked]) assert.is(stateOfUser.get(String(ended)), undefined);
  assert.equal([...states.keys()].sort(), [...stateOfUser.values()].sort(), 'no row without its user, no user without a row');
  const completions = await rowsOf(tables.completions);
  const completionOfUser = await rowsOf(tables.completionOfUser);
  assert.equal([...completions.keys()], [sha256Hex(completionIds[2]!)]);
  assert.is(completions.get(sha256Hex(completionIds[2]!))!.userId, U.confirming);
  assert.equal([...completionOfUser], [[String(U.confirming), sha256Hex(completionIds[2]!)]]);
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
  // A restarted service reads the rebuilt tables: the relinked user's token is still usable.
  await h.close({ keepSpotify: true });
  h = await startLinkHarness({ db, spotify: h.spotify, clock: h.clock });
  assert.ok((await h.links.accessToken(U.relinked)).startsWith('fake-at-'));
});

Tables.run();
