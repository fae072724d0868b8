/**
 * The one error class of the pure domain (`machines/`). User messages come from the locale
 * files keyed by {@link DomainError.code}; `message` is for operators and never contains a
 * token, code, state, verifier, hash or other secret – only fixed text, a state name, an
 * event or command type.
 *
 * @module
 */

/** Every stable code a {@link DomainError} may carry, with its operator-facing text. */
export const DOMAIN_ERROR_MESSAGES = {
  INVALID_COMMAND: 'The command is malformed; fix the caller (see the field paths).',
  LOGIN_NOT_PENDING: 'No login attempt is waiting for this step.',
  ATTEMPT_SUPERSEDED: 'This login attempt was replaced by a newer /login.',
  ATTEMPT_EXPIRED: 'The login attempt has expired; start again with /login.',
  ATTEMPT_NOT_EXPIRED: 'The login attempt has not expired yet.',
  CALLBACK_ALREADY_USED: 'This login attempt already received its callback.',
  COMPLETION_UNKNOWN: 'The completion id does not belong to the waiting grant.',
  NOT_LINKED: 'There is no Spotify link in a state that allows this.',
  RELINK_IN_PROGRESS: 'A re-link is in progress; the old link cannot be refreshed until it ends.',
  REFRESH_IN_FLIGHT: 'A token refresh is already running for this user.',
  NO_REFRESH_IN_FLIGHT: 'No token refresh is running for this user.',
  STALE_REFRESH: 'The refresh id is not the one in flight; its outcome is ignored.',
  REMINDER_ALREADY_SENT: 'The re-link reminder was already sent for this link.',
  REMINDER_NOT_DUE: 'The re-link reminder is not due yet.',
  EVENT_NOT_APPLICABLE: 'A stored event does not apply to the state rebuilt so far (corrupt stream or missing upcaster).',
} as const;

/** A stable domain error code, e.g. `'REFRESH_IN_FLIGHT'`. */
export type DomainErrorCode = keyof typeof DOMAIN_ERROR_MESSAGES;

/** Non-secret facts that help an operator: where the machine was and what was tried. */
export interface DomainErrorDetails {
  /** The dotted machine state, e.g. `awaitingCallback.pending`. */
  state?: string;
  commandType?: string;
  eventType?: string;
  /** For `INVALID_COMMAND`: the offending field paths (never their values). */
  paths?: string[];
}

/**
 * A command that the domain refuses, or a stream that does not replay.
 * @example
 * if (err instanceof DomainError && err.code === 'REFRESH_IN_FLIGHT') await shared;
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  /** Stable code for callers and locale files. */
  readonly code: DomainErrorCode;
  readonly details: DomainErrorDetails;

  constructor(code: DomainErrorCode, details: DomainErrorDetails = {}) {
    const where = [
      details.commandType && `command ${details.commandType}`,
      details.eventType && `event ${details.eventType}`,
      details.state && `in state ${details.state}`,
      details.paths?.length && `fields ${details.paths.join(', ')}`,
    ].filter(Boolean);
    super(`${code}: ${DOMAIN_ERROR_MESSAGES[code]}${where.length ? ` (${where.join(', ')})` : ''}`);
    this.code = code;
    this.details = details;
  }
}

/** True when `err` is a {@link DomainError}, optionally with the given `code`. */
export function isDomainError(err: unknown, code?: DomainErrorCode): err is DomainError {
  return err instanceof DomainError && (code === undefined || err.code === code);
}
