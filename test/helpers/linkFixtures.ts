/**
 * Fixtures for the Spotify link domain: events and commands with sensible defaults around
 * one timeline (`T0`), overridable field by field. Sealed strings and hashes are obviously
 * fake but valid (`SECRET_MARKERS` lists them so tests can check nothing leaks).
 */
import { COMPLETION_TTL_MS, LOGIN_TTL_MS, RELINK_REMINDER_AFTER_MS } from '../../machines/spotifyLink.context.ts';
import type { LinkCommand } from '../../src/link/commands.ts';
import { asSealed, type LinkEventOf } from '../../machines/spotifyLink.events.ts';
import { decide } from '../../src/link/decide.ts';
import { evolve, initialLinkSnapshot } from '../../machines/spotifyLink.machine.ts';
import { givenWhenThen } from './givenWhenThen.ts';

/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const MIN = 60_000;
export const DAY = 24 * 60 * MIN;
export const OWNER = 1001;
export const STRANGER = 2002;

/** A valid 64-char lowercase hex "hash" made of one repeated hex digit. */
export const hash = (digit: string): string => digit.repeat(64);
export const STATE_1 = hash('1');
export const STATE_2 = hash('2');
export const COMPLETION_1 = hash('c');
export const COMPLETION_2 = hash('d');
export const sealed = (label: string) => asSealed(`SEALED-${label}`);
/** Substrings that must never appear in a summary or an error message. */
export const SECRET_MARKERS = ['SEALED-', STATE_1, STATE_2, COMPLETION_1, COMPLETION_2];

type Over<T extends { data: unknown }> = Partial<T['data']>;

export const started = (o: Over<LinkEventOf<'LoginStarted'>> = {}): LinkEventOf<'LoginStarted'> => {
  const at = o.at ?? T0;
  return {
    type: 'LoginStarted',
    data: { at, attemptId: 'att-1', keyId: 'key-1', stateHash: STATE_1, verifier: sealed('verifier-1'), expiresAt: at + LOGIN_TTL_MS, relink: false, ...o },
  };
};
export const granted = (o: Over<LinkEventOf<'GrantReceived'>> = {}): LinkEventOf<'GrantReceived'> => {
  const at = o.at ?? T0 + MIN;
  return {
    type: 'GrantReceived',
    data: {
      at, attemptId: 'att-1', completionHash: COMPLETION_1,
      completionExpiresAt: at + COMPLETION_TTL_MS, spotifyUserId: asSealed('ann'), displayName: asSealed('Ann'),
      scopes: ['user-read-currently-playing', 'user-read-recently-played'],
      accessToken: sealed('access-1'), refreshToken: sealed('refresh-1'), accessExpiresAt: at + 3_600_000, ...o,
    },
  };
};
export const confirmed = (o: Over<LinkEventOf<'LinkConfirmed'>> = {}): LinkEventOf<'LinkConfirmed'> =>
  ({ type: 'LinkConfirmed', data: { at: T0 + 2 * MIN, attemptId: 'att-1', ...o } });
export const rejected = (o: Over<LinkEventOf<'LinkRejected'>> = {}): LinkEventOf<'LinkRejected'> =>
  ({ type: 'LinkRejected', data: { at: T0 + 2 * MIN, attemptId: 'att-1', reason: 'foreignTelegramUser', byUserId: STRANGER, ...o } });
export const denied = (o: Over<LinkEventOf<'LoginDenied'>> = {}): LinkEventOf<'LoginDenied'> =>
  ({ type: 'LoginDenied', data: { at: T0 + MIN, attemptId: 'att-1', error: 'access_denied', ...o } });
export const expired = (o: Over<LinkEventOf<'LoginExpired'>> = {}): LinkEventOf<'LoginExpired'> =>
  ({ type: 'LoginExpired', data: { at: T0 + LOGIN_TTL_MS, attemptId: 'att-1', ...o } });
export const refreshStarted = (o: Over<LinkEventOf<'RefreshStarted'>> = {}): LinkEventOf<'RefreshStarted'> =>
  ({ type: 'RefreshStarted', data: { at: T0 + 60 * MIN, refreshId: 'ref-1', ...o } });
export const refreshed = (o: Over<LinkEventOf<'TokensRefreshed'>> = {}): LinkEventOf<'TokensRefreshed'> =>
  ({ type: 'TokensRefreshed', data: { at: T0 + 61 * MIN, refreshId: 'ref-1', accessToken: sealed('access-2'),
    refreshToken: sealed('refresh-2'), accessExpiresAt: T0 + 121 * MIN, ...o } });
export const refreshFailed = (o: Over<LinkEventOf<'RefreshFailed'>> = {}): LinkEventOf<'RefreshFailed'> =>
  ({ type: 'RefreshFailed', data: { at: T0 + 61 * MIN, refreshId: 'ref-1', reason: 'unavailable', ...o } });
export const revoked = (o: Over<LinkEventOf<'AccessRevoked'>> = {}): LinkEventOf<'AccessRevoked'> =>
  ({ type: 'AccessRevoked', data: { at: T0 + 61 * MIN, reason: 'invalidGrant', ...o } });
export const reminded = (o: Over<LinkEventOf<'RelinkReminderSent'>> = {}): LinkEventOf<'RelinkReminderSent'> =>
  ({ type: 'RelinkReminderSent', data: { at: T0 + MIN + RELINK_REMINDER_AFTER_MS, ...o } });
export const unlinked = (o: Over<LinkEventOf<'Unlinked'>> = {}): LinkEventOf<'Unlinked'> =>
  ({ type: 'Unlinked', data: { at: T0 + 90 * MIN, reason: 'user', ...o } });

/** A history that ends `linked` with attempt 1 (key-1), confirmed at T0 + 2 min. */
export const LINKED = [started(), granted(), confirmed()];
/** `LINKED`, then a re-link attempt 2 (key-2) waiting for its callback, started at T0 + 100 min. */
export const RELINKING = [
  ...LINKED,
  started({ at: T0 + 100 * MIN, attemptId: 'att-2', keyId: 'key-2', stateHash: STATE_2, verifier: sealed('verifier-2'), relink: true }),
];
/** `RELINKING` with the new grant received at T0 + 101 min. */
export const RELINK_CONFIRMING = [
  ...RELINKING,
  granted({ at: T0 + 101 * MIN, attemptId: 'att-2', completionHash: COMPLETION_2, spotifyUserId: asSealed('ann2'),
    accessToken: sealed('access-b'), refreshToken: sealed('refresh-b') }),
];

type Cmd<T extends LinkCommand['type']> = Extract<LinkCommand, { type: T }>;
type CmdOver<T extends LinkCommand['type']> = Partial<Omit<Cmd<T>, 'type'>>;

/** Command factories with the same defaults as the events above. */
export const cmd = {
  startLogin: (o: CmdOver<'startLogin'> = {}): Cmd<'startLogin'> =>
    ({ type: 'startLogin', now: T0, attemptId: 'att-1', keyId: 'key-1', stateHash: STATE_1, verifier: sealed('verifier-1'), ...o }),
  recordGrant: (o: CmdOver<'recordGrant'> = {}): Cmd<'recordGrant'> => {
    const now = o.now ?? T0 + MIN;
    return { type: 'recordGrant', now, stateHash: STATE_1, completionHash: COMPLETION_1, spotifyUserId: asSealed('ann'),
      displayName: asSealed('Ann'), scopes: ['user-read-currently-playing', 'user-read-recently-played'],
      accessToken: sealed('access-1'), refreshToken: sealed('refresh-1'), accessExpiresAt: now + 3_600_000, ...o };
  },
  denyLogin: (o: CmdOver<'denyLogin'> = {}): Cmd<'denyLogin'> =>
    ({ type: 'denyLogin', now: T0 + MIN, stateHash: STATE_1, error: 'access_denied', ...o }),
  confirmLink: (o: CmdOver<'confirmLink'> = {}): Cmd<'confirmLink'> =>
    ({ type: 'confirmLink', now: T0 + 2 * MIN, completionHash: COMPLETION_1, actingUserId: OWNER, ownerUserId: OWNER, ...o }),
  rejectLink: (o: CmdOver<'rejectLink'> = {}): Cmd<'rejectLink'> =>
    ({ type: 'rejectLink', now: T0 + 2 * MIN, completionHash: COMPLETION_1, byUserId: STRANGER, ...o }),
  expireLogin: (o: CmdOver<'expireLogin'> = {}): Cmd<'expireLogin'> =>
    ({ type: 'expireLogin', now: T0 + LOGIN_TTL_MS, attemptId: 'att-1', ...o }),
  startRefresh: (o: CmdOver<'startRefresh'> = {}): Cmd<'startRefresh'> =>
    ({ type: 'startRefresh', now: T0 + 60 * MIN, refreshId: 'ref-1', ...o }),
  completeRefresh: (o: CmdOver<'completeRefresh'> = {}): Cmd<'completeRefresh'> =>
    ({ type: 'completeRefresh', now: T0 + 61 * MIN, refreshId: 'ref-1', accessToken: sealed('access-2'),
      refreshToken: sealed('refresh-2'), accessExpiresAt: T0 + 121 * MIN, ...o }),
  failRefresh: (o: CmdOver<'failRefresh'> = {}): Cmd<'failRefresh'> =>
    ({ type: 'failRefresh', now: T0 + 61 * MIN, refreshId: 'ref-1', reason: 'unavailable', ...o }),
  revokeAccess: (o: CmdOver<'revokeAccess'> = {}): Cmd<'revokeAccess'> =>
    ({ type: 'revokeAccess', now: T0 + 61 * MIN, reason: 'invalidGrant', ...o }),
  sendRelinkReminder: (o: CmdOver<'sendRelinkReminder'> = {}): Cmd<'sendRelinkReminder'> =>
    ({ type: 'sendRelinkReminder', now: T0 + MIN + RELINK_REMINDER_AFTER_MS, ...o }),
  unlink: (o: CmdOver<'unlink'> = {}): Cmd<'unlink'> => ({ type: 'unlink', now: T0 + 90 * MIN, ...o }),
};

/** `given(events).when(command).then(events)` for the link decider. */
export const given = givenWhenThen({ initial: initialLinkSnapshot, evolve, decide });
