/**
 * The pure decision function of the Spotify link domain: `(snapshot, command) → events`.
 *
 * Precise checks give each refusal a stable {@link DomainError} code; the machine's own guards
 * (`snapshot.can(event)`) are the final gate, so `decide` can never emit an event the machine
 * would not apply. Every emitted event is validated against its zod schema.
 *
 * A decision may carry events **and** an error: a callback or confirmation that arrives after
 * the deadline emits `LoginExpired` (ending the attempt and shredding its key) and reports
 * `ATTEMPT_EXPIRED`. The caller appends `events` first, then shreds {@link keysToShred}, then
 * reports `error` if there is one.
 *
 * @module
 */
import { transition } from 'xstate';
import { ZodError } from 'zod';
import { DomainError, type DomainErrorCode } from './domainError.ts';
import { COMPLETION_TTL_MS, LOGIN_TTL_MS, attemptDeadline, type LinkAttempt } from './spotifyLink.context.ts';
import type { LinkCommand } from './spotifyLink.commands.ts';
import { linkEventSchema, type LinkEvent } from './spotifyLink.events.ts';
import { keysToShred, linkMachine, linkStateName, type LinkSnapshot } from './spotifyLink.machine.ts';

/** What {@link decide} answers: events to append (possibly none) and an optional refusal. */
export interface LinkDecision {
  events: LinkEvent[];
  error?: DomainError;
}

type Outcome = LinkDecision | DomainErrorCode;

/**
 * Decides `command` against the stream's current `snapshot`. Never throws for a domain rule:
 * a refusal comes back as `error` (with `events: []`, unless the refusal itself ends something).
 * @example
 * const { events, error } = decide(snapshot, { type: 'unlink', now: Date.now() });
 */
export function decide(snapshot: LinkSnapshot, command: LinkCommand): LinkDecision {
  const outcome = decideOutcome(snapshot, command);
  const decision = typeof outcome === 'string' ? { events: [] } : outcome;
  const code = typeof outcome === 'string' ? outcome : outcome.error?.code;
  const error = code ? fail(snapshot, command, code) : undefined;
  let state = snapshot;
  const events: LinkEvent[] = [];
  for (const candidate of decision.events) {
    let event: LinkEvent;
    try {
      const { type, ...data } = candidate;
      event = { type, ...linkEventSchema(type)!.schema.parse(data) } as LinkEvent;
    } catch (err) {
      if (!(err instanceof ZodError)) throw err;
      const paths = err.issues.map((i) => i.path.join('.') || '(root)');
      return { events: [], error: new DomainError('INVALID_COMMAND', { commandType: command.type, paths }) };
    }
    // The machine's guard is the last word; a refusal here means the checks above missed a case.
    if (!state.can(event)) return { events: [], error: fail(snapshot, command, fallbackCode[command.type]) };
    state = transition(linkMachine, state, event)[0];
    events.push(event);
  }
  return error ? { events, error } : { events };
}

/** The code used when only the machine's guard refuses a command. */
const fallbackCode: Record<LinkCommand['type'], DomainErrorCode> = {
  startLogin: 'REFRESH_IN_FLIGHT',
  recordGrant: 'LOGIN_NOT_PENDING',
  denyLogin: 'LOGIN_NOT_PENDING',
  confirmLink: 'LOGIN_NOT_PENDING',
  rejectLink: 'LOGIN_NOT_PENDING',
  expireLogin: 'LOGIN_NOT_PENDING',
  startRefresh: 'NOT_LINKED',
  completeRefresh: 'NO_REFRESH_IN_FLIGHT',
  failRefresh: 'NO_REFRESH_IN_FLIGHT',
  revokeAccess: 'NOT_LINKED',
  sendRelinkReminder: 'NOT_LINKED',
  unlink: 'NOT_LINKED',
};

function fail(snapshot: LinkSnapshot, command: LinkCommand, code: DomainErrorCode): DomainError {
  return new DomainError(code, { state: linkStateName(snapshot), commandType: command.type });
}

function emit(...events: LinkEvent[]): LinkDecision {
  return { events };
}

function expired(attempt: LinkAttempt, now: number): LinkDecision {
  return { events: [{ type: 'LoginExpired', at: now, attemptId: attempt.attemptId }], error: new DomainError('ATTEMPT_EXPIRED') };
}

function decideOutcome(snapshot: LinkSnapshot, cmd: LinkCommand): Outcome {
  const { context } = snapshot;
  const at = cmd.now;
  switch (cmd.type) {
    case 'startLogin': {
      if (snapshot.matches('refreshing')) return 'REFRESH_IN_FLIGHT';
      const { attemptId, keyId, stateHash, verifier } = cmd;
      const relink = context.link !== null;
      return emit({ type: 'LoginStarted', at, attemptId, keyId, stateHash, verifier, expiresAt: at + LOGIN_TTL_MS, relink });
    }
    case 'recordGrant':
    case 'denyLogin': {
      const check = checkCallback(snapshot, cmd.stateHash, at);
      if (typeof check === 'string' || 'events' in check) return check;
      const { attemptId } = check;
      if (cmd.type === 'denyLogin') return emit({ type: 'LoginDenied', at, attemptId, error: cmd.error });
      const { type: _t, now: _n, stateHash: _s, ...grant } = cmd;
      return emit({ type: 'GrantReceived', at, attemptId, ...grant, completionExpiresAt: at + COMPLETION_TTL_MS });
    }
    case 'confirmLink':
    case 'rejectLink': {
      const attempt = context.attempt;
      if (!attempt) return 'LOGIN_NOT_PENDING';
      if (attempt.completionHash === null || attempt.completionHash !== cmd.completionHash) return 'COMPLETION_UNKNOWN';
      if (at >= attemptDeadline(attempt)) return expired(attempt, at);
      const { attemptId } = attempt;
      if (cmd.type === 'confirmLink' && cmd.actingUserId === cmd.ownerUserId) {
        return emit({ type: 'LinkConfirmed', at, attemptId });
      }
      const byUserId = cmd.type === 'confirmLink' ? cmd.actingUserId : cmd.byUserId;
      return emit({ type: 'LinkRejected', at, attemptId, reason: 'foreignTelegramUser', byUserId });
    }
    case 'expireLogin': {
      const attempt = context.attempt;
      if (!attempt) return 'LOGIN_NOT_PENDING';
      if (attempt.attemptId !== cmd.attemptId) return 'ATTEMPT_SUPERSEDED';
      if (at < attemptDeadline(attempt)) return 'ATTEMPT_NOT_EXPIRED';
      return emit({ type: 'LoginExpired', at, attemptId: attempt.attemptId });
    }
    case 'startRefresh': {
      const started: LinkEvent = { type: 'RefreshStarted', at, refreshId: cmd.refreshId };
      if (snapshot.matches('refreshing')) {
        if (!cmd.recover || context.refreshId === null) return 'REFRESH_IN_FLIGHT';
        return emit({ type: 'RefreshFailed', at, refreshId: context.refreshId, reason: 'interrupted' }, started);
      }
      if (snapshot.matches('awaitingCallback') && context.link) return 'RELINK_IN_PROGRESS';
      if (!snapshot.matches('linked')) return 'NOT_LINKED';
      return emit(started);
    }
    case 'completeRefresh':
    case 'failRefresh': {
      if (!snapshot.matches('refreshing')) return 'NO_REFRESH_IN_FLIGHT';
      if (cmd.refreshId !== context.refreshId) return 'STALE_REFRESH';
      if (cmd.type === 'failRefresh') {
        const { reason, refreshId, retryAfterSec } = cmd;
        return emit({ type: 'RefreshFailed', at, refreshId, reason, ...(retryAfterSec === undefined ? {} : { retryAfterSec }) });
      }
      const { type: _t, now: _n, ...rest } = cmd;
      return emit({ type: 'TokensRefreshed', at, ...dropUndefined(rest) });
    }
    case 'revokeAccess':
      return emit({ type: 'AccessRevoked', at, reason: cmd.reason });
    case 'sendRelinkReminder': {
      if (snapshot.matches('refreshing')) return 'REFRESH_IN_FLIGHT';
      const link = context.link;
      if (!snapshot.matches('linked') || !link) return 'NOT_LINKED';
      if (link.reminderSent) return 'REMINDER_ALREADY_SENT';
      if (at < link.reminderDueAt) return 'REMINDER_NOT_DUE';
      return emit({ type: 'RelinkReminderSent', at });
    }
    case 'unlink':
      return emit({ type: 'Unlinked', at, reason: 'user' });
    default: // only reachable from untyped callers
      return 'INVALID_COMMAND';
  }
}

/** Why a callback (code or error) for `stateHash` cannot be taken, or the attempt it belongs to. */
function checkCallback(snapshot: LinkSnapshot, stateHash: string, now: number): LinkAttempt | Outcome {
  const attempt = snapshot.context.attempt;
  if (!attempt) return 'LOGIN_NOT_PENDING';
  if (attempt.stateHash !== stateHash) return 'ATTEMPT_SUPERSEDED';
  if (attempt.grant !== null) return 'CALLBACK_ALREADY_USED';
  if (now >= attempt.expiresAt) return expired(attempt, now);
  return attempt;
}

/**
 * Tells the HTTP callback, before it spends the single-use code on a token exchange, whether
 * a callback for `stateHash` would be taken now. `null` means yes; otherwise the code
 * `recordGrant` would refuse with (`ATTEMPT_EXPIRED` still needs `expireLogin` or
 * `recordGrant` to end the attempt).
 */
export function callbackProblem(snapshot: LinkSnapshot, stateHash: string, now: number): DomainErrorCode | null {
  const check = checkCallback(snapshot, stateHash, now);
  if (typeof check === 'string') return check;
  if ('events' in check) return check.error?.code ?? null;
  return null;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The snapshot after `decision.events` (the caller would get the same by folding them).
 * @example const after = applyDecision(before, decision); shred(keysToShred(before, after));
 */
export function applyDecision(snapshot: LinkSnapshot, decision: LinkDecision): LinkSnapshot {
  let state = snapshot;
  for (const event of decision.events) state = transition(linkMachine, state, event)[0];
  return state;
}

/** Re-exported for the service: the data keys a decision ended (see the machine module). */
export { keysToShred };
