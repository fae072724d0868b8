/**
 * The link lifecycle's clock: attempts and unconfirmed grants that expire, the re-link
 * reminder around day 170 (once), revocation after day 180, and recovery of a refresh that a
 * crash left in `refreshing` – on memory-level and, for a real restart, on classic-level.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RootDb } from '../../eventlog/index.ts';
import { COMPLETION_TTL_MS, LOGIN_TTL_MS } from '../../machines/spotifyLink.context.ts';
import { linkStream } from '../../src/link/linkLog.ts';
import { REFRESH_MARGIN_MS } from '../../src/link/tokenRefresher.ts';
import { startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

const DAY = 24 * 3600_000;
const ALICE = 1001;
const BOB = 1002;
const CAROL = 1003;

let h: LinkHarness;
const types = async (userId: number) => (await h.events(userId)).map((e) => e.type);
/** What a process that died right after `RefreshStarted` leaves behind (appended with the store directly). */
async function crashMidRefresh(at: LinkHarness, refreshId: string): Promise<void> {
  const stream = linkStream(ALICE);
  const event = { type: 'RefreshStarted' as const, data: { at: at.clock.now(), refreshId } };
  await at.store.appendToStream(stream, [event], { expectedVersion: await at.store.streamVersion(stream) });
}
const refreshes = () => h.spotify.count('token', { grantType: 'refresh_token' });

const Sweep = suite('linkSweeper');

Sweep.before.each(async () => {
  h = await startLinkHarness();
});
Sweep.after.each(async () => {
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
});

Sweep('expired attempts and unconfirmed grants end and their keys are shredded; fresh ones stay', async () => {
  await h.links.startLogin(ALICE); // waits for a callback
  await h.loginThroughCallback(BOB); // waits for /start
  const keys = [(await h.links.status(ALICE)).attempt!.keyId, (await h.links.status(BOB)).attempt!.keyId];
  h.clock.advance(Math.max(LOGIN_TTL_MS, COMPLETION_TTL_MS));
  await h.links.startLogin(CAROL); // started just now: not due
  const report = await h.links.sweep();
  assert.equal(report, { expired: 2, revoked: 0, reminded: 0, recovered: 0 });
  for (const user of [ALICE, BOB]) {
    assert.is((await h.links.status(user)).state, 'unlinked');
    assert.is((await types(user)).at(-1), 'LoginExpired');
  }
  for (const keyId of keys) assert.is(await h.vault.hasDataKey(keyId), false);
  assert.is((await h.links.status(CAROL)).state, 'awaitingCallback.pending');
  assert.equal((await h.links.sweep()).expired, 0, 'a second sweep finds nothing');
  assert.equal(h.notices, []);
});

Sweep('an abandoned re-link expires back to the old link, which keeps working', async () => {
  await h.link(ALICE);
  const before = await h.links.accessToken(ALICE);
  const oldKey = (await h.links.status(ALICE)).link!.keyId;
  await h.links.startLogin(ALICE);
  const attemptKey = (await h.links.status(ALICE)).attempt!.keyId;
  h.clock.advance(LOGIN_TTL_MS);
  assert.is((await h.links.sweep()).expired, 1);
  assert.is((await h.links.status(ALICE)).state, 'linked');
  assert.is(await h.vault.hasDataKey(attemptKey), false);
  assert.is(await h.vault.hasDataKey(oldKey), true);
  assert.is(await h.links.accessToken(ALICE), before);
});

Sweep('the re-link reminder goes out once around day 170, never twice', async () => {
  await h.link(ALICE);
  const { refreshExpiresAt, grantedAt } = (await h.links.status(ALICE)).link!;
  h.clock.t = grantedAt + 169 * DAY;
  assert.is((await h.links.sweep()).reminded, 0, 'not yet');
  h.clock.t = grantedAt + 170 * DAY;
  assert.is((await h.links.sweep()).reminded, 1);
  assert.equal(h.noticesOf(ALICE), [{ kind: 'relinkSoon', expiresAt: refreshExpiresAt }]);
  assert.is((await h.links.sweep()).reminded, 0);
  h.clock.advance(5 * DAY);
  await Promise.all([h.links.sweep(), h.links.sweep()]);
  assert.is(h.noticesOf(ALICE).length, 1, 'never twice');
  assert.is((await types(ALICE)).filter((t) => t === 'RelinkReminderSent').length, 1);
  assert.is((await h.links.status(ALICE)).link?.reminderSent, true);
});

Sweep('after day 180 the link is revoked with refreshTokenExpired, without asking Spotify', async () => {
  await h.link(ALICE);
  const { keyId, refreshExpiresAt } = (await h.links.status(ALICE)).link!;
  h.clock.t = refreshExpiresAt;
  const report = await h.links.sweep();
  assert.is(report.revoked, 1);
  const summary = await h.links.status(ALICE);
  assert.is(summary.state, 'revoked');
  assert.is(summary.revocationReason, 'refreshTokenExpired');
  assert.equal(h.noticesOf(ALICE), [{ kind: 'revoked', reason: 'refreshTokenExpired' }]);
  assert.is(await h.vault.hasDataKey(keyId), false);
  assert.is(refreshes(), 0);
  assert.equal(await h.links.sweep(), { expired: 0, revoked: 0, reminded: 0, recovered: 0 });
  assert.is(h.notices.length, 1);
});

Sweep('a RefreshStarted left by a crash is closed as interrupted and refreshed again on restart', async () => {
  await h.close();
  const db = new MemoryLevel() as unknown as RootDb;
  const first = await startLinkHarness({ db });
  await first.link(ALICE);
  await crashMidRefresh(first, 'lost-in-crash');
  await first.close({ keepSpotify: true });
  h = await startLinkHarness({ db, spotify: first.spotify, clock: first.clock });
  assert.is((await h.links.status(ALICE)).state, 'refreshing');
  assert.equal(await h.links.sweep(), { expired: 0, revoked: 0, reminded: 0, recovered: 1 });
  const events = await h.events(ALICE);
  assert.equal(events.slice(-4).map((e) => e.type), ['RefreshStarted', 'RefreshFailed', 'RefreshStarted', 'TokensRefreshed']);
  const failed = events.at(-3)!;
  assert.is(failed.type === 'RefreshFailed' && failed.data.reason, 'interrupted');
  assert.is((await h.links.status(ALICE)).state, 'linked');
  assert.is((await h.webApi.me(ALICE)).id, 'alice');
  assert.is((await h.links.sweep()).recovered, 0, 'nothing is stuck any more');
  await first.spotify.close();
});

Sweep('a refresh cut by a crash on classic-level is recovered by the sweep at the next start', async () => {
  await h.close();
  const dir = mkdtempSync(join(tmpdir(), 'link-crash-'));
  try {
    const first = await startLinkHarness({ location: dir });
    await first.link(ALICE);
    first.clock.t = (await first.links.status(ALICE)).link!.accessExpiresAt - REFRESH_MARGIN_MS;
    first.spotify.fail('token', { kind: 'hang' });
    const seen = first.spotify.nextRequest('token');
    const cut = first.links.accessToken(ALICE).then(
      () => assert.unreachable('the first process never finishes this refresh'),
      (err: Error) => err,
    );
    await seen; // RefreshStarted is durable; Spotify holds the request
    assert.is((await first.links.status(ALICE)).state, 'refreshing');
    await first.close({ keepSpotify: true }); // the process dies with the request open

    h = await startLinkHarness({ location: dir, spotify: first.spotify, clock: first.clock });
    assert.is((await h.links.status(ALICE)).state, 'refreshing');
    h.links.start(60_000); // start-up runs a sweep at once
    assert.is((await h.links.sweep()).recovered, 1);
    const events = await h.events(ALICE);
    assert.equal(events.slice(-4).map((e) => e.type), ['RefreshStarted', 'RefreshFailed', 'RefreshStarted', 'TokensRefreshed']);
    assert.is((await h.links.status(ALICE)).state, 'linked');
    assert.is((await h.webApi.me(ALICE)).id, 'alice');
    await h.links.startLogin(ALICE); // nothing stuck: /login works again
    await h.close();
    await first.spotify.close(); // cuts the hung request: the dead process's refresh fails
    assert.instance(await cut, Error);
    h = await startLinkHarness();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Sweep('after a restart a getAccessToken call alone also recovers a stuck refresh', async () => {
  await h.close();
  const db = new MemoryLevel() as unknown as RootDb;
  const first = await startLinkHarness({ db });
  await first.link(ALICE);
  await crashMidRefresh(first, 'lost');
  await first.close({ keepSpotify: true });
  h = await startLinkHarness({ db, spotify: first.spotify, clock: first.clock });
  const tokens = await Promise.all([h.links.accessToken(ALICE), h.links.accessToken(ALICE)]);
  assert.is(tokens[0], tokens[1]);
  assert.is(h.spotify.count('token', { grantType: 'refresh_token' }), 1);
  assert.is((await h.links.status(ALICE)).state, 'linked');
  await first.spotify.close();
});

Sweep.run();
