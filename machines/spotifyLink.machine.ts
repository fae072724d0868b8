/**
 * The lifecycle of one Telegram user's Spotify link as a pure XState v5 machine:
 * `unlinked → awaitingCallback (pending → confirming) → linked ⇄ refreshing → revoked`.
 *
 * The machine is the `evolve` of the link stream: state is rebuilt by folding stored events
 * through XState's pure `transition()`. It never reads a clock, draws a random number or does
 * I/O – every instant and id arrives inside events – and it has no `invoke` and no `after`.
 * Every guard and action is named in `setup()`; actions only `assign`.
 *
 * @module
 */
import { and, assertEvent, assign, initialTransition, setup, transition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import type { LinkEvent } from './spotifyLink.events.ts';
import {
  REFRESH_TOKEN_LIFETIME_MS,
  RELINK_REMINDER_AFTER_MS,
  attemptDeadline,
  emptyLinkContext,
  liveKeyIds,
  type LinkContext,
} from './spotifyLink.context.ts';
import { DomainError } from './domainError.ts';

/**
 * Version of the machine's behaviour. Bump it whenever a change could fold an existing stream
 * into a different state, so stored `link_state` rows can be told apart and rebuilt.
 */
export const MACHINE_VERSION = 2;

type GuardName = 'isCurrentAttempt' | 'attemptHasExpired' | 'beforeLoginExpiry';

/**
 * "Ends the attempt": back to `linked` when a previous link exists (re-link), else `unlinked`.
 * Both branches require `guards`; the first one also `hasPreviousLink`.
 */
function endAttemptWhen(...guards: GuardName[]) {
  return [
    { guard: and([...guards, 'hasPreviousLink']), target: '#spotifyLink.linked', actions: ['endAttempt', 'touch'] },
    { guard: and(guards), target: '#spotifyLink.unlinked', actions: ['endAttempt', 'touch'] },
  ] as const;
}

/**
 * The Spotify link machine definition. Use {@link evolve} / {@link foldLinkEvents} rather than
 * an actor: the machine is only ever stepped with the pure `transition()`.
 */
export const linkMachine = setup({
  types: { context: {} as LinkContext, events: {} as LinkEvent },
  guards: {
    /** The event names the attempt in progress (a superseded attempt's events do nothing). */
    isCurrentAttempt: ({ context, event }) =>
      'attemptId' in event && context.attempt?.attemptId === event.attemptId,
    /** `LoginStarted.relink` tells the truth about whether a link exists. */
    relinkFlagMatches: ({ context, event }) =>
      event.type === 'LoginStarted' && event.relink === (context.link !== null),
    /** The event came before the attempt's callback deadline. */
    beforeLoginExpiry: ({ context, event }) =>
      context.attempt !== null && event.at < context.attempt.expiresAt,
    /** The event came before the grant's confirmation deadline. */
    beforeCompletionExpiry: ({ context, event }) =>
      context.attempt?.completionExpiresAt != null && event.at < context.attempt.completionExpiresAt,
    /** The attempt's deadline (callback or confirmation, whichever applies) has passed. */
    attemptHasExpired: ({ context, event }) =>
      context.attempt !== null && event.at >= attemptDeadline(context.attempt),
    /** A confirmed link exists besides the attempt (re-link): ending the attempt returns to it. */
    hasPreviousLink: ({ context }) => context.link !== null,
    /** The event names the refresh in flight (a stale refresh's outcome does nothing). */
    isCurrentRefresh: ({ context, event }) =>
      'refreshId' in event && context.refreshId !== null && event.refreshId === context.refreshId,
    /** This link has not had its re-link reminder yet. */
    reminderNotSent: ({ context }) => context.link !== null && !context.link.reminderSent,
    /** The re-link reminder is due (around day 170 of the refresh token's life). */
    reminderDue: ({ context, event }) => context.link !== null && event.at >= context.link.reminderDueAt,
  },
  actions: {
    /** Remembers the instant of the last applied event. */
    touch: assign({ lastEventAt: ({ event }) => event.at }),
    /** Opens a new attempt; a superseded attempt's key is ended. */
    startAttempt: assign(({ event }) => {
      assertEvent(event, 'LoginStarted');
      const { at, type: _t, ...fields } = event;
      return {
        attempt: { ...fields, startedAt: at, completionHash: null, completionExpiresAt: null, grant: null },
        revocationReason: null,
      };
    }),
    /** Parks the grant in the attempt until its owner confirms it. */
    holdGrant: assign(({ context, event }) => {
      assertEvent(event, 'GrantReceived');
      if (!context.attempt) return {};
      const { at, type: _t, attemptId: _a, completionHash, completionExpiresAt, ...grant } = event;
      return {
        attempt: {
          ...context.attempt,
          completionHash,
          completionExpiresAt,
          grant: { ...grant, scopes: [...grant.scopes], grantedAt: at },
        },
      };
    }),
    /** Drops the attempt and ends its key; a previous link (re-link) stays as it was. */
    endAttempt: assign({ attempt: null }),
    /** Turns the held grant into the link; a replaced link's key is ended. */
    confirmGrant: assign(({ context, event }) => {
      const attempt = context.attempt;
      if (!attempt?.grant) return {};
      const { grantedAt } = attempt.grant;
      return {
        link: {
          ...attempt.grant,
          keyId: attempt.keyId,
          linkedAt: event.at,
          refreshExpiresAt: grantedAt + REFRESH_TOKEN_LIFETIME_MS,
          reminderDueAt: grantedAt + RELINK_REMINDER_AFTER_MS,
          reminderSent: false,
        },
        attempt: null,
        lastRefreshFailure: null,
      };
    }),
    /** Marks a refresh as in flight. */
    startRefresh: assign({ refreshId: ({ event }) => (event.type === 'RefreshStarted' ? event.refreshId : null) }),
    /** Stores the refreshed tokens; an omitted refresh token keeps the old one. */
    storeRefreshedTokens: assign(({ context, event }) => {
      assertEvent(event, 'TokensRefreshed');
      if (!context.link) return {};
      return {
        link: {
          ...context.link,
          accessToken: event.accessToken,
          refreshToken: event.refreshToken ?? context.link.refreshToken,
          accessExpiresAt: event.accessExpiresAt,
          scopes: event.scopes ? [...event.scopes] : context.link.scopes,
        },
        refreshId: null,
        lastRefreshFailure: null,
      };
    }),
    /** Ends the refresh without new tokens; the link stays. */
    recordRefreshFailure: assign(({ event }) => {
      assertEvent(event, 'RefreshFailed');
      return {
        refreshId: null,
        lastRefreshFailure: { reason: event.reason, retryAfterSec: event.retryAfterSec ?? null, at: event.at },
      };
    }),
    /** Drops the link for good and ends its key. */
    revokeLink: assign(({ event }) => {
      assertEvent(event, 'AccessRevoked');
      return {
        link: null,
        refreshId: null,
        lastRefreshFailure: null,
        revocationReason: event.reason,
      };
    }),
    /** Records that this link's re-link reminder went out. */
    markReminderSent: assign(({ context }) => (context.link ? { link: { ...context.link, reminderSent: true } } : {})),
    /** Forgets attempt and link alike and ends every live key. */
    forgetAll: assign({
      attempt: null,
      link: null,
      refreshId: null,
      lastRefreshFailure: null,
      revocationReason: null,
    }),
  },
}).createMachine({
  id: 'spotifyLink',
  initial: 'unlinked',
  context: emptyLinkContext,
  states: {
    unlinked: {
      on: {
        LoginStarted: { guard: 'relinkFlagMatches', target: 'awaitingCallback', actions: ['startAttempt', 'touch'] },
      },
    },
    awaitingCallback: {
      initial: 'pending',
      on: {
        // Re-entering restarts the sub-state: a new attempt always begins at `pending`.
        LoginStarted: { guard: 'relinkFlagMatches', target: '.pending', reenter: true, actions: ['startAttempt', 'touch'] },
        LoginExpired: endAttemptWhen('isCurrentAttempt', 'attemptHasExpired'),
        Unlinked: { target: '#spotifyLink.unlinked', actions: ['forgetAll', 'touch'] },
      },
      states: {
        pending: {
          on: {
            GrantReceived: {
              guard: and(['isCurrentAttempt', 'beforeLoginExpiry']),
              target: 'confirming',
              actions: ['holdGrant', 'touch'],
            },
            LoginDenied: endAttemptWhen('isCurrentAttempt', 'beforeLoginExpiry'),
          },
        },
        confirming: {
          on: {
            LinkConfirmed: {
              guard: and(['isCurrentAttempt', 'beforeCompletionExpiry']),
              target: '#spotifyLink.linked',
              actions: ['confirmGrant', 'touch'],
            },
            LinkRejected: endAttemptWhen('isCurrentAttempt'),
          },
        },
      },
    },
    linked: {
      on: {
        LoginStarted: { guard: 'relinkFlagMatches', target: 'awaitingCallback', actions: ['startAttempt', 'touch'] },
        RefreshStarted: { target: 'refreshing', actions: ['startRefresh', 'touch'] },
        AccessRevoked: { target: 'revoked', actions: ['revokeLink', 'touch'] },
        RelinkReminderSent: { guard: and(['reminderNotSent', 'reminderDue']), actions: ['markReminderSent', 'touch'] },
        Unlinked: { target: 'unlinked', actions: ['forgetAll', 'touch'] },
      },
    },
    refreshing: {
      on: {
        TokensRefreshed: { guard: 'isCurrentRefresh', target: 'linked', actions: ['storeRefreshedTokens', 'touch'] },
        RefreshFailed: { guard: 'isCurrentRefresh', target: 'linked', actions: ['recordRefreshFailure', 'touch'] },
        AccessRevoked: { target: 'revoked', actions: ['revokeLink', 'touch'] },
        Unlinked: { target: 'unlinked', actions: ['forgetAll', 'touch'] },
      },
    },
    revoked: {
      on: {
        LoginStarted: { guard: 'relinkFlagMatches', target: 'awaitingCallback', actions: ['startAttempt', 'touch'] },
      },
    },
  },
});

/** A snapshot of the link machine (state value + {@link LinkContext}). */
export type LinkSnapshot = SnapshotFrom<typeof linkMachine>;

/** The snapshot of a user with an empty stream: `unlinked`, empty context. */
export function initialLinkSnapshot(): LinkSnapshot {
  return initialTransition(linkMachine)[0];
}

/**
 * Applies one stored event. Strict: an event the machine does not accept in `snapshot`
 * (a corrupt stream, or a machine change that forgot an upcaster) throws a
 * `DomainError('EVENT_NOT_APPLICABLE')` instead of being silently skipped.
 */
export function evolve(snapshot: LinkSnapshot, event: LinkEvent): LinkSnapshot {
  if (!snapshot.can(event)) {
    throw new DomainError('EVENT_NOT_APPLICABLE', { state: linkStateName(snapshot), eventType: event.type });
  }
  return transition(linkMachine, snapshot, event)[0];
}

/** Replays a whole stream (oldest first) from {@link initialLinkSnapshot}. */
export function foldLinkEvents(events: Iterable<LinkEvent>, from: LinkSnapshot = initialLinkSnapshot()): LinkSnapshot {
  let snapshot = from;
  for (const event of events) snapshot = evolve(snapshot, event);
  return snapshot;
}

/** The flat name of a link state. */
export type LinkStateName =
  | 'unlinked'
  | 'awaitingCallback.pending'
  | 'awaitingCallback.confirming'
  | 'linked'
  | 'refreshing'
  | 'revoked';

/** The dotted state name of `snapshot`, e.g. `'awaitingCallback.pending'`. */
export function linkStateName(snapshot: LinkSnapshot): LinkStateName {
  const value = snapshot.value;
  if (typeof value === 'string') return value as LinkStateName;
  return `awaitingCallback.${value.awaitingCallback}` as LinkStateName;
}

/**
 * The data keys that `after` ended compared with `before` (the same stream, one decision
 * later): the keys live in `before` and not in `after`. The service deletes them in the same
 * atomic batch as the decision's events, so the context never needs to remember ended keys
 * (an earlier version kept them all in `endedKeyIds`: O(n) bytes per row, O(n²) per stream).
 * @example for (const keyId of keysToShred(before, after)) ops.push(...vault.shredOps(keyId));
 */
export function keysToShred(before: LinkSnapshot, after: LinkSnapshot): string[] {
  const live = new Set(liveKeyIds(after.context));
  return liveKeyIds(before.context).filter((k) => !live.has(k));
}
