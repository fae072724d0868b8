/**
 * decide(): a link's life after confirmation – startRefresh, completeRefresh, failRefresh,
 * revokeAccess, sendRelinkReminder, unlink – accepted and refused, with crash recovery and
 * the "unlink while a refresh is in flight" race.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { keysToShred, linkStateName } from '../../machines/spotifyLink.machine.ts';
import {
  DAY, LINKED, MIN, RELINKING, RELINK_CONFIRMING, T0, cmd, confirmed, given, granted, refreshFailed, refreshStarted,
  refreshed, reminded, revoked, sealed, started, unlinked,
} from '../helpers/linkFixtures.ts';

const REFRESHING = [...LINKED, refreshStarted()];

const StartRefresh = suite('startRefresh');

StartRefresh('a linked user with an expiring token starts one refresh', () => {
  const { after } = given(LINKED).when(cmd.startRefresh()).then([refreshStarted()]);
  assert.is(linkStateName(after), 'refreshing');
  assert.is(after.context.refreshId, 'ref-1');
});

StartRefresh('a second refresh while one is in flight is refused', () => {
  given(REFRESHING).when(cmd.startRefresh({ refreshId: 'ref-2' })).thenRejects('REFRESH_IN_FLIGHT');
});

StartRefresh('after a crash mid-refresh, recover closes the lost refresh and starts a new one', () => {
  const now = T0 + 70 * MIN;
  const { after } = given(REFRESHING)
    .when(cmd.startRefresh({ now, refreshId: 'ref-2', recover: true }))
    .then([refreshFailed({ at: now, reason: 'interrupted' }), refreshStarted({ at: now, refreshId: 'ref-2' })]);
  assert.is(after.context.refreshId, 'ref-2');
  assert.is(after.context.lastRefreshFailure?.reason, 'interrupted');
});

StartRefresh('recover on a link with nothing in flight is a plain refresh', () => {
  given(LINKED).when(cmd.startRefresh({ recover: true })).then([refreshStarted()]);
});

StartRefresh('no refresh without a link, and none while a re-link is waiting', () => {
  given([]).when(cmd.startRefresh()).thenRejects('NOT_LINKED');
  given([started()]).when(cmd.startRefresh()).thenRejects('NOT_LINKED');
  given([...LINKED, revoked()]).when(cmd.startRefresh({ now: T0 + 70 * MIN })).thenRejects('NOT_LINKED');
  given(RELINKING).when(cmd.startRefresh({ now: T0 + 101 * MIN })).thenRejects('RELINK_IN_PROGRESS');
});

StartRefresh.run();

const CompleteRefresh = suite('completeRefresh');

CompleteRefresh('new tokens replace the old ones; the 180-day horizon does not move', () => {
  const { before, after } = given(REFRESHING).when(cmd.completeRefresh()).then([refreshed()]);
  const link = after.context.link!;
  assert.is(linkStateName(after), 'linked');
  assert.is(link.accessToken, sealed('access-2'));
  assert.is(link.refreshToken, sealed('refresh-2'));
  assert.is(link.accessExpiresAt, T0 + 121 * MIN);
  assert.is(link.refreshExpiresAt, before.context.link!.refreshExpiresAt);
  assert.is(after.context.refreshId, null);
});

CompleteRefresh('a response without a refresh token keeps the old one', () => {
  const { after } = given(REFRESHING)
    .when(cmd.completeRefresh({ refreshToken: undefined, scopes: ['user-read-currently-playing'] }))
    .then([{ type: 'TokensRefreshed', data: { at: T0 + 61 * MIN, refreshId: 'ref-1', accessToken: sealed('access-2'), accessExpiresAt: T0 + 121 * MIN, scopes: ['user-read-currently-playing'] } }]);
  assert.is(after.context.link?.refreshToken, sealed('refresh-1'));
  assert.equal(after.context.link?.scopes, ['user-read-currently-playing']);
});

CompleteRefresh('the outcome of a stale refresh is ignored', () => {
  const recovered = [...REFRESHING, refreshFailed({ reason: 'interrupted' }), refreshStarted({ at: T0 + 70 * MIN, refreshId: 'ref-2' })];
  given(recovered).when(cmd.completeRefresh({ now: T0 + 71 * MIN })).thenRejects('STALE_REFRESH');
});

CompleteRefresh('tokens arriving after /unlink won the race are refused', () => {
  given([...REFRESHING, unlinked({ at: T0 + 60 * MIN + 1 })]).when(cmd.completeRefresh()).thenRejects('NO_REFRESH_IN_FLIGHT');
});

CompleteRefresh('tokens with no refresh in flight are refused', () => {
  given(LINKED).when(cmd.completeRefresh()).thenRejects('NO_REFRESH_IN_FLIGHT');
});

CompleteRefresh.run();

const FailRefresh = suite('failRefresh');

FailRefresh('a temporary failure keeps the link and remembers Retry-After', () => {
  const { after } = given(REFRESHING)
    .when(cmd.failRefresh({ reason: 'rateLimited', retryAfterSec: 30 }))
    .then([refreshFailed({ reason: 'rateLimited', retryAfterSec: 30 })]);
  assert.is(linkStateName(after), 'linked');
  assert.equal(after.context.lastRefreshFailure, { reason: 'rateLimited', retryAfterSec: 30, at: T0 + 61 * MIN });
  assert.is(after.context.link?.accessToken, sealed('access-1'));
});

FailRefresh('an interrupted refresh can be closed explicitly and a new one started', () => {
  const closed = [...REFRESHING, refreshFailed({ reason: 'interrupted' })];
  given(REFRESHING).when(cmd.failRefresh({ reason: 'interrupted' })).then([refreshFailed({ reason: 'interrupted' })]);
  given(closed).when(cmd.startRefresh({ now: T0 + 62 * MIN, refreshId: 'ref-2' }))
    .then([refreshStarted({ at: T0 + 62 * MIN, refreshId: 'ref-2' })]);
});

FailRefresh('a failure for a stale or absent refresh is refused', () => {
  given(REFRESHING).when(cmd.failRefresh({ refreshId: 'ref-0' })).thenRejects('STALE_REFRESH');
  given(LINKED).when(cmd.failRefresh()).thenRejects('NO_REFRESH_IN_FLIGHT');
});

FailRefresh.run();

const RevokeAccess = suite('revokeAccess');

RevokeAccess('invalid_grant revokes a linked user and shreds the key', () => {
  const { before, after } = given(LINKED).when(cmd.revokeAccess()).then([revoked()]);
  assert.is(linkStateName(after), 'revoked');
  assert.is(after.context.link, null);
  assert.is(after.context.revocationReason, 'invalidGrant');
  assert.equal(keysToShred(before, after), ['key-1']);
});

RevokeAccess('invalid_grant during a refresh revokes and clears the refresh', () => {
  const { after } = given(REFRESHING).when(cmd.revokeAccess({ reason: 'refreshTokenExpired' })).then([revoked({ reason: 'refreshTokenExpired' })]);
  assert.is(after.context.refreshId, null);
});

RevokeAccess('a second revocation is refused, so the user is told once', () => {
  given([...LINKED, revoked()]).when(cmd.revokeAccess({ now: T0 + 62 * MIN })).thenRejects('NOT_LINKED');
  given([]).when(cmd.revokeAccess()).thenRejects('NOT_LINKED');
  given(RELINKING).when(cmd.revokeAccess({ now: T0 + 101 * MIN })).thenRejects('NOT_LINKED');
});

RevokeAccess.run();

const Reminder = suite('sendRelinkReminder');

Reminder('on day 170 the reminder goes out once', () => {
  const { after } = given(LINKED).when(cmd.sendRelinkReminder()).then([reminded()]);
  assert.is(after.context.link?.reminderSent, true);
  given([...LINKED, reminded()]).when(cmd.sendRelinkReminder({ now: T0 + 200 * DAY })).thenRejects('REMINDER_ALREADY_SENT');
});

Reminder('a reminder before day 170 is refused', () => {
  given(LINKED).when(cmd.sendRelinkReminder({ now: T0 + 169 * DAY })).thenRejects('REMINDER_NOT_DUE');
});

Reminder('a new link gets its own reminder', () => {
  const day171 = T0 + 171 * DAY;
  const relinked = [
    ...LINKED,
    reminded(),
    started({ at: day171, attemptId: 'att-2', keyId: 'key-2', relink: true }),
    granted({ at: day171 + MIN, attemptId: 'att-2' }),
    confirmed({ at: day171 + 2 * MIN, attemptId: 'att-2' }),
  ];
  const due = day171 + MIN + 170 * DAY;
  given(relinked).when(cmd.sendRelinkReminder({ now: due - 1 })).thenRejects('REMINDER_NOT_DUE');
  given(relinked).when(cmd.sendRelinkReminder({ now: due })).then([reminded({ at: due })]);
});

Reminder('no reminder without a link or during a refresh', () => {
  given([]).when(cmd.sendRelinkReminder()).thenRejects('NOT_LINKED');
  given([...LINKED, refreshStarted({ at: T0 + 170 * DAY })]).when(cmd.sendRelinkReminder()).thenRejects('REFRESH_IN_FLIGHT');
});

Reminder.run();

const Unlink = suite('unlink');

Unlink('/unlink forgets the link and shreds its key', () => {
  const { before, after } = given(LINKED).when(cmd.unlink()).then([unlinked()]);
  assert.is(linkStateName(after), 'unlinked');
  assert.is(after.context.link, null);
  assert.equal(keysToShred(before, after), ['key-1']);
});

Unlink('unlink while a refresh is in flight wins, and the refresh outcome is then refused', () => {
  const { after } = given(REFRESHING).when(cmd.unlink()).then([unlinked()]);
  assert.is(after.context.refreshId, null);
  given([...REFRESHING, unlinked()]).when(cmd.failRefresh()).thenRejects('NO_REFRESH_IN_FLIGHT');
});

Unlink('unlink while waiting for the callback or the confirmation ends the attempt', () => {
  given([started()]).when(cmd.unlink({ now: T0 + MIN })).then([unlinked({ at: T0 + MIN })]);
  const { before, after } = given([started(), granted()]).when(cmd.unlink({ now: T0 + 2 * MIN })).then([unlinked({ at: T0 + 2 * MIN })]);
  assert.equal(keysToShred(before, after), ['key-1']);
});

Unlink('unlink during a re-link shreds both the old link and the attempt', () => {
  const at = T0 + 102 * MIN;
  const { before, after } = given(RELINK_CONFIRMING).when(cmd.unlink({ now: at })).then([unlinked({ at })]);
  assert.equal(keysToShred(before, after), ['key-1', 'key-2']);
  assert.is(after.context.attempt, null);
});

Unlink('unlink with nothing linked is refused', () => {
  given([]).when(cmd.unlink()).thenRejects('NOT_LINKED');
  given([...LINKED, revoked()]).when(cmd.unlink()).thenRejects('NOT_LINKED');
});

Unlink.run();
