/**
 * The pure decision function of the Spotify link domain: `(snapshot, command) → events`.
 *
 * `decide` only translates: it turns a command into the event it asks for (finding the attempt
 * a `state` or completion id belongs to, deriving deadlines from the TTLs) and lets the
 * machine judge it. The machine's guards are the rules; a refusal's stable
 * {@link DomainError} code comes from {@link refusalOf}, mapped once below. Events are
 * validated once, by the event log's registry on append.
 *
 * A decision may carry events **and** an error: a callback or confirmation that arrives after
 * the deadline emits `LoginExpired` (ending the attempt and shredding its key) and reports
 * `ATTEMPT_EXPIRED`. The caller appends `events` first, then shreds {@link keysToShred}, then
 * reports `error` if there is one.
 *
 * @module
 */
import { transition } from 'xstate';
import { DomainError, type DomainErrorCode } from '../../machines/domainError.ts';
import { COMPLETION_TTL_MS, LOGIN_TTL_MS } from '../../machines/spotifyLink.context.ts';
import type { LinkEvent, LinkEventType } from '../../machines/spotifyLink.events.ts';
import { holds, keysToShred, linkMachine, linkStateName, refusalOf, type LinkGuardName, type LinkSnapshot } from '../../machines/spotifyLink.machine.ts';
import type { LinkCommand } from './commands.ts';

/** What {@link decide} answers: events to append (possibly none) and an optional refusal. */
export interface LinkDecision {
  events: LinkEvent[];
  /** The snapshot after each event (computed once here; the `link_state` projection reuses them). */
  snapshots: LinkSnapshot[];
  /** The snapshot after the last event (the one before the decision when there is none). */
  after: LinkSnapshot;
  error?: DomainError;
}

/** The refusal code of each of the machine's rules. */
const refusedBecause: Record<LinkGuardName, DomainErrorCode> = {
  isCurrentAttempt: 'ATTEMPT_SUPERSEDED',
  relinkFlagMatches: 'INVALID_COMMAND',
  beforeLoginExpiry: 'ATTEMPT_EXPIRED',
  beforeCompletionExpiry: 'ATTEMPT_EXPIRED',
  attemptHasExpired: 'ATTEMPT_NOT_EXPIRED',
  hasPreviousLink: 'INVALID_COMMAND',
  isCurrentRefresh: 'STALE_REFRESH',
  reminderNotSent: 'REMINDER_ALREADY_SENT',
  reminderDue: 'REMINDER_NOT_DUE',
};

/** The refusal code when the user's state has no transition for the event at all. */
function refusedInState(snapshot: LinkSnapshot, event: LinkEvent): DomainErrorCode {
  const state = linkStateName(snapshot);
  const byType: Record<LinkEventType, () => DomainErrorCode> = {
    LoginStarted: () => 'REFRESH_IN_FLIGHT',
    GrantReceived: callbackRefusal,
    LoginDenied: callbackRefusal,
    LinkConfirmed: () => 'LOGIN_NOT_PENDING',
    LinkRejected: () => 'LOGIN_NOT_PENDING',
    LoginExpired: () => 'LOGIN_NOT_PENDING',
    RefreshStarted: () =>
      state === 'refreshing' ? 'REFRESH_IN_FLIGHT' : state.startsWith('awaitingCallback') && snapshot.context.link ? 'RELINK_IN_PROGRESS' : 'NOT_LINKED',
    TokensRefreshed: () => 'NO_REFRESH_IN_FLIGHT',
    RefreshFailed: () => 'NO_REFRESH_IN_FLIGHT',
    AccessRevoked: () => 'NOT_LINKED',
    RelinkReminderSent: () => (state === 'refreshing' ? 'REFRESH_IN_FLIGHT' : 'NOT_LINKED'),
    Unlinked: () => 'NOT_LINKED',
  };
  // A callback while a grant already waits: a second one of this attempt, or a superseded one's.
  function callbackRefusal(): DomainErrorCode {
    if (state !== 'awaitingCallback.confirming') return 'LOGIN_NOT_PENDING';
    return holds('isCurrentAttempt', snapshot, event) ? 'CALLBACK_ALREADY_USED' : 'ATTEMPT_SUPERSEDED';
  }
  return byType[event.type]();
}

/** Matches no attempt: an event carrying it names no attempt in progress. */
const NO_ATTEMPT = '';

/**
 * Decides `command` against the stream's current `snapshot`. Never throws for a domain rule:
 * a refusal comes back as `error` (with `events: []`, unless the refusal itself ends something).
 * @example
 * const { events, error } = decide(snapshot, { type: 'unlink', now: Date.now() });
 */
export function decide(snapshot: LinkSnapshot, command: LinkCommand): LinkDecision {
  const asked = eventsFor(snapshot, command);
  if (typeof asked === 'string') return refuse(snapshot, command, asked);
  const snapshots: LinkSnapshot[] = [];
  let state = snapshot;
  for (const event of asked) {
    const refusal = refusalOf(state, event);
    if (refusal) {
      const code = refusal.guard ? refusedBecause[refusal.guard] : refusedInState(state, event);
      return code === 'ATTEMPT_EXPIRED' ? expire(snapshot, command, event.data.at) : refuse(snapshot, command, code);
    }
    state = transition(linkMachine, state, event)[0];
    snapshots.push(state);
  }
  return { events: asked, snapshots, after: state };
}

function refuse(snapshot: LinkSnapshot, command: LinkCommand, code: DomainErrorCode): LinkDecision {
  return { events: [], snapshots: [], after: snapshot, error: fail(snapshot, command, code) };
}

function fail(snapshot: LinkSnapshot, command: LinkCommand, code: DomainErrorCode): DomainError {
  return new DomainError(code, { state: linkStateName(snapshot), commandType: command.type });
}

/** Too late for the attempt: it ends now (its key is shredded) and the caller hears why. */
function expire(snapshot: LinkSnapshot, command: LinkCommand, at: number): LinkDecision {
  const attemptId = snapshot.context.attempt?.attemptId ?? NO_ATTEMPT;
  const ended = decide(snapshot, { type: 'expireLogin', now: at, attemptId });
  return { ...ended, error: fail(snapshot, command, 'ATTEMPT_EXPIRED') };
}

/** The events `command` asks for, or the code when it names nothing that exists. */
function eventsFor(snapshot: LinkSnapshot, cmd: LinkCommand): LinkEvent[] | DomainErrorCode {
  const { attempt, link, refreshId } = snapshot.context;
  const at = cmd.now;
  switch (cmd.type) {
    case 'startLogin': {
      const { attemptId, keyId, stateHash, verifier } = cmd;
      return [{ type: 'LoginStarted', data: { at, attemptId, keyId, stateHash, verifier, expiresAt: at + LOGIN_TTL_MS, relink: link !== null } }];
    }
    case 'recordGrant':
    case 'denyLogin': {
      // The attempt this `state` was issued for; another one's callback names none.
      const attemptId = attempt?.stateHash === cmd.stateHash ? attempt.attemptId : NO_ATTEMPT;
      if (cmd.type === 'denyLogin') return [{ type: 'LoginDenied', data: { at, attemptId, error: cmd.error } }];
      const { type: _t, now: _n, stateHash: _s, ...grant } = cmd;
      return [{ type: 'GrantReceived', data: { at, attemptId, ...grant, completionExpiresAt: at + COMPLETION_TTL_MS } }];
    }
    case 'confirmLink':
    case 'rejectLink': {
      if (attempt && attempt.completionHash !== cmd.completionHash) return 'COMPLETION_UNKNOWN';
      const attemptId = attempt?.attemptId ?? NO_ATTEMPT;
      if (cmd.type === 'confirmLink' && cmd.actingUserId === cmd.ownerUserId) return [{ type: 'LinkConfirmed', data: { at, attemptId } }];
      const byUserId = cmd.type === 'confirmLink' ? cmd.actingUserId : cmd.byUserId;
      return [{ type: 'LinkRejected', data: { at, attemptId, reason: 'foreignTelegramUser', byUserId } }];
    }
    case 'expireLogin':
      return [{ type: 'LoginExpired', data: { at, attemptId: cmd.attemptId } }];
    case 'startRefresh': {
      const started: LinkEvent = { type: 'RefreshStarted', data: { at, refreshId: cmd.refreshId } };
      // Recovery closes the refresh a crash left open before starting the new one.
      if (cmd.recover && refreshId !== null) return [{ type: 'RefreshFailed', data: { at, refreshId, reason: 'interrupted' } }, started];
      return [started];
    }
    case 'completeRefresh': {
      const { type: _t, now: _n, ...tokens } = cmd;
      return [{ type: 'TokensRefreshed', data: { at, ...dropUndefined(tokens) } }];
    }
    case 'failRefresh': {
      const { reason, retryAfterSec } = cmd;
      return [{ type: 'RefreshFailed', data: { at, refreshId: cmd.refreshId, reason, ...(retryAfterSec === undefined ? {} : { retryAfterSec }) } }];
    }
    case 'revokeAccess':
      return [{ type: 'AccessRevoked', data: { at, reason: cmd.reason } }];
    case 'sendRelinkReminder':
      return [{ type: 'RelinkReminderSent', data: { at } }];
    case 'unlink':
      return [{ type: 'Unlinked', data: { at, reason: 'user' } }];
    default: // only reachable from untyped callers
      return 'INVALID_COMMAND';
  }
}

/**
 * Tells the HTTP callback, before it spends the single-use code on a token exchange, whether
 * a callback for `stateHash` would be taken now. `null` means yes; otherwise the code a
 * callback would be refused with (`ATTEMPT_EXPIRED` still needs a decision to end the attempt).
 */
export function callbackProblem(snapshot: LinkSnapshot, stateHash: string, now: number): DomainErrorCode | null {
  return decide(snapshot, { type: 'denyLogin', now, stateHash, error: 'access_denied' }).error?.code ?? null;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Re-exported for the service: the data keys a decision ended (see the machine module). */
export { keysToShred };
