/**
 * decide(): the login flow – startLogin, recordGrant, denyLogin, confirmLink, rejectLink,
 * expireLogin – accepted and refused, including the races of issue 3.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { COMPLETION_TTL_MS, LOGIN_TTL_MS, REFRESH_TOKEN_LIFETIME_MS } from '../../machines/spotifyLink.context.ts';
import { callbackProblem, decide } from '../../src/link/decide.ts';
import { foldLinkEvents, keysToShred, linkStateName } from '../../machines/spotifyLink.machine.ts';
import {
  COMPLETION_2, DAY, LINKED, MIN, RELINKING, RELINK_CONFIRMING, SECRET_MARKERS, STATE_1,
  STATE_2, STRANGER, T0, cmd, confirmed, denied, expired, given, granted, refreshStarted, rejected, revoked,
  sealed, started, unlinked,
} from '../helpers/linkFixtures.ts';

const PENDING = [started()];
const CONFIRMING = [started(), granted()];
const SUPERSEDED = [started(), started({ at: T0 + 30_000, attemptId: 'att-2', keyId: 'key-2', stateHash: STATE_2 })];

const StartLogin = suite('startLogin');

StartLogin('a first /login opens an attempt that expires after 10 minutes', () => {
  const { after } = given([]).when(cmd.startLogin()).then([started()]);
  assert.is(linkStateName(after), 'awaitingCallback.pending');
  assert.is(after.context.attempt?.expiresAt, T0 + LOGIN_TTL_MS);
});

StartLogin('a second /login while one is pending supersedes it and shreds its key', () => {
  const next = { at: T0 + 30_000, attemptId: 'att-2', keyId: 'key-2', stateHash: STATE_2 };
  const { before, after } = given(PENDING).when(cmd.startLogin({ ...next, now: next.at })).then([started(next)]);
  assert.is(after.context.attempt?.attemptId, 'att-2');
  assert.equal(keysToShred(before, after), ['key-1']);
});

StartLogin('a /login while a grant waits for confirmation drops that grant and its key', () => {
  const next = { at: T0 + 3 * MIN, attemptId: 'att-2', keyId: 'key-2', stateHash: STATE_2 };
  const { before, after } = given(CONFIRMING).when(cmd.startLogin({ ...next, now: next.at })).then([started(next)]);
  assert.is(linkStateName(after), 'awaitingCallback.pending');
  assert.is(after.context.attempt?.grant, null);
  assert.equal(keysToShred(before, after), ['key-1']);
});

StartLogin('a /login while linked is a re-link that keeps the current link usable', () => {
  const o = { at: T0 + 100 * MIN, attemptId: 'att-2', keyId: 'key-2', stateHash: STATE_2, verifier: sealed('verifier-2') };
  const { before, after } = given(LINKED).when(cmd.startLogin({ ...o, now: o.at })).then([started({ ...o, relink: true })]);
  assert.is(after.context.link?.keyId, 'key-1');
  assert.equal(keysToShred(before, after), []);
});

StartLogin('a /login after revocation starts afresh (no re-link)', () => {
  const o = { at: T0 + 100 * MIN, attemptId: 'att-2', keyId: 'key-2', stateHash: STATE_2 };
  const { after } = given([...LINKED, revoked()]).when(cmd.startLogin({ ...o, now: o.at })).then([started(o)]);
  assert.is(after.context.revocationReason, null);
});

StartLogin('a /login during a token refresh is refused until the refresh ends', () => {
  given([...LINKED, refreshStarted()]).when(cmd.startLogin({ now: T0 + 60 * MIN })).thenRejects('REFRESH_IN_FLIGHT');
});

StartLogin.run();

const RecordGrant = suite('recordGrant');

RecordGrant('the callback holds the grant for confirmation with a 10-minute completion window', () => {
  const { after } = given(PENDING).when(cmd.recordGrant()).then([granted()]);
  assert.is(linkStateName(after), 'awaitingCallback.confirming');
  assert.is(after.context.attempt?.completionExpiresAt, T0 + MIN + COMPLETION_TTL_MS);
});

RecordGrant('a callback for a superseded attempt links nothing', () => {
  given(SUPERSEDED).when(cmd.recordGrant({ stateHash: STATE_1 })).thenRejects('ATTEMPT_SUPERSEDED');
});

RecordGrant('a callback after the 10 minutes ends the attempt and shreds its key', () => {
  const late = T0 + LOGIN_TTL_MS;
  const { before, after } = given(PENDING)
    .when(cmd.recordGrant({ now: late }))
    .thenRejects('ATTEMPT_EXPIRED', [expired({ at: late })]);
  assert.is(linkStateName(after), 'unlinked');
  assert.equal(keysToShred(before, after), ['key-1']);
});

RecordGrant('a replayed callback (state already used) is refused', () => {
  given(CONFIRMING).when(cmd.recordGrant({ now: T0 + 2 * MIN })).thenRejects('CALLBACK_ALREADY_USED');
});

RecordGrant('a callback racing with /unlink (unlink won) links nothing', () => {
  given([...PENDING, unlinked({ at: T0 + 30_000 })]).when(cmd.recordGrant()).thenRejects('LOGIN_NOT_PENDING');
});

RecordGrant('a callback while linked with no attempt is refused', () => {
  given(LINKED).when(cmd.recordGrant({ now: T0 + 5 * MIN })).thenRejects('LOGIN_NOT_PENDING');
});

RecordGrant('callbackProblem answers before the code is spent, like recordGrant would', () => {
  assert.is(callbackProblem(foldLinkEvents(PENDING), STATE_1, T0 + MIN), null);
  assert.is(callbackProblem(foldLinkEvents(SUPERSEDED), STATE_1, T0 + MIN), 'ATTEMPT_SUPERSEDED');
  assert.is(callbackProblem(foldLinkEvents(PENDING), STATE_1, T0 + LOGIN_TTL_MS), 'ATTEMPT_EXPIRED');
  assert.is(callbackProblem(foldLinkEvents(CONFIRMING), STATE_1, T0 + 2 * MIN), 'CALLBACK_ALREADY_USED');
  assert.is(callbackProblem(foldLinkEvents([]), STATE_1, T0), 'LOGIN_NOT_PENDING');
});

RecordGrant.run();

const DenyLogin = suite('denyLogin');

DenyLogin('access_denied ends the attempt and shreds its key', () => {
  const { before, after } = given(PENDING).when(cmd.denyLogin()).then([denied()]);
  assert.is(linkStateName(after), 'unlinked');
  assert.equal(keysToShred(before, after), ['key-1']);
});

DenyLogin('a denied re-link goes back to the link that was there', () => {
  const at = T0 + 101 * MIN;
  const { before, after } = given(RELINKING)
    .when(cmd.denyLogin({ now: at, stateHash: STATE_2 }))
    .then([denied({ at, attemptId: 'att-2' })]);
  assert.is(linkStateName(after), 'linked');
  assert.is(after.context.link?.keyId, 'key-1');
  assert.equal(keysToShred(before, after), ['key-2']);
});

DenyLogin('a denial after the 10 minutes expires the attempt instead', () => {
  const late = T0 + LOGIN_TTL_MS + 1;
  given(PENDING).when(cmd.denyLogin({ now: late })).thenRejects('ATTEMPT_EXPIRED', [expired({ at: late })]);
});

DenyLogin('a denial for a superseded attempt, a used state or no attempt changes nothing', () => {
  given(SUPERSEDED).when(cmd.denyLogin()).thenRejects('ATTEMPT_SUPERSEDED');
  given(CONFIRMING).when(cmd.denyLogin({ now: T0 + 2 * MIN })).thenRejects('CALLBACK_ALREADY_USED');
  given([]).when(cmd.denyLogin()).thenRejects('LOGIN_NOT_PENDING');
});

DenyLogin.run();

const ConfirmLink = suite('confirmLink');

ConfirmLink('/start by the same Telegram user links, with the refresh token good for 180 days', () => {
  const { after } = given(CONFIRMING).when(cmd.confirmLink()).then([confirmed()]);
  assert.is(linkStateName(after), 'linked');
  const link = after.context.link!;
  assert.is(link.keyId, 'key-1');
  assert.is(link.refreshExpiresAt, T0 + MIN + REFRESH_TOKEN_LIFETIME_MS);
  assert.is(link.reminderDueAt, T0 + MIN + 170 * DAY);
  assert.is(after.context.attempt, null);
});

ConfirmLink('a confirmation by another Telegram user links nothing, rejects and shreds the grant', () => {
  const { before, after } = given(CONFIRMING).when(cmd.confirmLink({ actingUserId: STRANGER })).then([rejected()]);
  assert.is(linkStateName(after), 'unlinked');
  assert.equal(keysToShred(before, after), ['key-1']);
});

ConfirmLink('a stranger opening a re-link deep link leaves the old link in place', () => {
  const at = T0 + 102 * MIN;
  const { before, after } = given(RELINK_CONFIRMING)
    .when(cmd.confirmLink({ now: at, completionHash: COMPLETION_2, actingUserId: STRANGER }))
    .then([rejected({ at, attemptId: 'att-2' })]);
  assert.is(linkStateName(after), 'linked');
  assert.is(after.context.link?.spotifyUserId, 'ann');
  assert.equal(keysToShred(before, after), ['key-2']);
});

ConfirmLink('a confirmed re-link replaces the link and shreds the old key', () => {
  const at = T0 + 102 * MIN;
  const { before, after } = given(RELINK_CONFIRMING)
    .when(cmd.confirmLink({ now: at, completionHash: COMPLETION_2 }))
    .then([confirmed({ at, attemptId: 'att-2' })]);
  assert.is(after.context.link?.keyId, 'key-2');
  assert.is(after.context.link?.spotifyUserId, 'ann2');
  assert.is(after.context.link?.refreshExpiresAt, T0 + 101 * MIN + REFRESH_TOKEN_LIFETIME_MS);
  assert.equal(keysToShred(before, after), ['key-1']);
});

ConfirmLink('a confirmation after expiry ends the attempt and is refused', () => {
  const late = T0 + MIN + COMPLETION_TTL_MS; // exactly at the deadline counts as late
  const { after } = given(CONFIRMING)
    .when(cmd.confirmLink({ now: late }))
    .thenRejects('ATTEMPT_EXPIRED', [expired({ at: late })]);
  assert.is(linkStateName(after), 'unlinked');
});

ConfirmLink('an unknown completion id, or one before any grant, changes nothing', () => {
  given(CONFIRMING).when(cmd.confirmLink({ completionHash: COMPLETION_2 })).thenRejects('COMPLETION_UNKNOWN');
  given(PENDING).when(cmd.confirmLink()).thenRejects('COMPLETION_UNKNOWN');
  given(LINKED).when(cmd.confirmLink({ now: T0 + 3 * MIN })).thenRejects('LOGIN_NOT_PENDING');
});

ConfirmLink('refusals name the state and command, never a hash or token', () => {
  const { error } = decide(foldLinkEvents(CONFIRMING), cmd.confirmLink({ completionHash: COMPLETION_2 }));
  assert.is(error?.details.state, 'awaitingCallback.confirming');
  for (const marker of SECRET_MARKERS) assert.not.ok(error!.message.includes(marker));
});

ConfirmLink.run();

const RejectLink = suite('rejectLink');

RejectLink('an explicit rejection ends the waiting grant', () => {
  given(CONFIRMING).when(cmd.rejectLink()).then([rejected()]);
});

RejectLink('a rejection without a waiting grant, or after expiry, is refused', () => {
  given([]).when(cmd.rejectLink()).thenRejects('LOGIN_NOT_PENDING');
  given(CONFIRMING).when(cmd.rejectLink({ completionHash: COMPLETION_2 })).thenRejects('COMPLETION_UNKNOWN');
  const late = T0 + MIN + COMPLETION_TTL_MS;
  given(CONFIRMING).when(cmd.rejectLink({ now: late })).thenRejects('ATTEMPT_EXPIRED', [expired({ at: late })]);
});

RejectLink.run();

const ExpireLogin = suite('expireLogin');

ExpireLogin('a pending attempt past its 10 minutes expires and its key is shredded', () => {
  const { before, after } = given(PENDING).when(cmd.expireLogin()).then([expired()]);
  assert.is(linkStateName(after), 'unlinked');
  assert.equal(keysToShred(before, after), ['key-1']);
});

ExpireLogin('a waiting grant expires at its completion deadline, not the login deadline', () => {
  given(CONFIRMING).when(cmd.expireLogin({ now: T0 + LOGIN_TTL_MS })).thenRejects('ATTEMPT_NOT_EXPIRED');
  const at = T0 + MIN + COMPLETION_TTL_MS;
  given(CONFIRMING).when(cmd.expireLogin({ now: at })).then([expired({ at })]);
});

ExpireLogin('an expired re-link goes back to the existing link', () => {
  const at = T0 + 100 * MIN + LOGIN_TTL_MS;
  const { after } = given(RELINKING).when(cmd.expireLogin({ now: at, attemptId: 'att-2' })).then([expired({ at, attemptId: 'att-2' })]);
  assert.is(linkStateName(after), 'linked');
});

ExpireLogin('expiry too early, for an older attempt or with no attempt is refused', () => {
  given(PENDING).when(cmd.expireLogin({ now: T0 + LOGIN_TTL_MS - 1 })).thenRejects('ATTEMPT_NOT_EXPIRED');
  given(SUPERSEDED).when(cmd.expireLogin()).thenRejects('ATTEMPT_SUPERSEDED');
  given(LINKED).when(cmd.expireLogin()).thenRejects('LOGIN_NOT_PENDING');
});

ExpireLogin.run();
