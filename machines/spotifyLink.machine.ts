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
import type { AnyStateNode, SnapshotFrom } from 'xstate';
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

type GuardName = 'isCurrentAttempt' | 'attemptHasExpired' | 'beforeLoginExpiry' | 'beforeCompletionExpiry';

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

/** What a guard sees: the context and the event being judged. */
type GuardArgs = { context: LinkContext; event: LinkEvent };

/** The machine's guards: each one rule of the link lifecycle, named so refusals can say which. */
const linkGuards = {
  /** The event names the attempt in progress (a superseded attempt's events do nothing). */
  isCurrentAttempt: ({ context, event }) =>
    'attemptId' in event.data && context.attempt?.attemptId === event.data.attemptId,
  /** `LoginStarted.relink` tells the truth about whether a link exists. */
  relinkFlagMatches: ({ context, event }) =>
    event.type === 'LoginStarted' && event.data.relink === (context.link !== null),
  /** The event came before the attempt's callback deadline. */
  beforeLoginExpiry: ({ context, event }) =>
    context.attempt !== null && event.data.at < context.attempt.expiresAt,
  /** The event came before the grant's confirmation deadline. */
  beforeCompletionExpiry: ({ context, event }) =>
    context.attempt?.completionExpiresAt != null && event.data.at < context.attempt.completionExpiresAt,
  /** The attempt's deadline (callback or confirmation, whichever applies) has passed. */
  attemptHasExpired: ({ context, event }) =>
    context.attempt !== null && event.data.at >= attemptDeadline(context.attempt),
  /** A confirmed link exists besides the attempt (re-link): ending the attempt returns to it. */
  hasPreviousLink: ({ context }) => context.link !== null,
  /** The event names the refresh in flight (a stale refresh's outcome does nothing). */
  isCurrentRefresh: ({ context, event }) =>
    'refreshId' in event.data && context.refreshId !== null && event.data.refreshId === context.refreshId,
  /** This link has not had its re-link reminder yet. */
  reminderNotSent: ({ context }) => context.link !== null && !context.link.reminderSent,
  /** The re-link reminder is due (around day 170 of the refresh token's life). */
  reminderDue: ({ context, event }) => context.link !== null && event.data.at >= context.link.reminderDueAt,
} satisfies Record<string, (args: GuardArgs) => boolean>;

/**
 * The Spotify link machine definition. Use {@link evolve} / {@link foldLinkEvents} rather than
 * an actor: the machine is only ever stepped with the pure `transition()`.
 */
export const linkMachine = setup({
  types: { context: {} as LinkContext, events: {} as LinkEvent },
  guards: linkGuards,
  actions: {
    /** Remembers the instant of the last applied event. */
    touch: assign({ lastEventAt: ({ event }) => event.data.at }),
    /** Opens a new attempt; a superseded attempt's key is ended. */
    startAttempt: assign(({ event }) => {
      assertEvent(event, 'LoginStarted');
      const { at, ...fields } = event.data;
      return {
        attempt: { ...fields, startedAt: at, completionHash: null, completionExpiresAt: null, grant: null },
        revocationReason: null,
      };
    }),
    /** Parks the grant in the attempt until its owner confirms it. */
    holdGrant: assign(({ context, event }) => {
      assertEvent(event, 'GrantReceived');
      if (!context.attempt) return {};
      const { at, attemptId: _a, completionHash, completionExpiresAt, ...grant } = event.data;
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
          linkedAt: event.data.at,
          refreshExpiresAt: grantedAt + REFRESH_TOKEN_LIFETIME_MS,
          reminderDueAt: grantedAt + RELINK_REMINDER_AFTER_MS,
          reminderSent: false,
        },
        attempt: null,
        lastRefreshFailure: null,
      };
    }),
    /** Marks a refresh as in flight. */
    startRefresh: assign({ refreshId: ({ event }) => (event.type === 'RefreshStarted' ? event.data.refreshId : null) }),
    /** Stores the refreshed tokens; an omitted refresh token keeps the old one. */
    storeRefreshedTokens: assign(({ context, event }) => {
      assertEvent(event, 'TokensRefreshed');
      if (!context.link) return {};
      return {
        link: {
          ...context.link,
          accessToken: event.data.accessToken,
          refreshToken: event.data.refreshToken ?? context.link.refreshToken,
          accessExpiresAt: event.data.accessExpiresAt,
          scopes: event.data.scopes ? [...event.data.scopes] : context.link.scopes,
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
        lastRefreshFailure: { reason: event.data.reason, retryAfterSec: event.data.retryAfterSec ?? null, at: event.data.at },
      };
    }),
    /** Drops the link for good and ends its key. */
    revokeLink: assign(({ event }) => {
      assertEvent(event, 'AccessRevoked');
      return {
        link: null,
        refreshId: null,
        lastRefreshFailure: null,
        revocationReason: event.data.reason,
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
            // A foreign /start after the deadline is too late as well: the attempt expires instead.
            LinkRejected: endAttemptWhen('isCurrentAttempt', 'beforeCompletionExpiry'),
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

/** The name of one of the machine's guards (each is one rule of the link lifecycle). */
export type LinkGuardName = keyof typeof linkGuards;

/**
 * Why the machine refuses `event` in `snapshot`, or null when it takes it:
 * - `{ guard }`: the state has transitions for the event and `guard` is the first rule that
 *   fails on the last (least demanding) of them;
 * - `{ guard: null }`: the state has no transition for the event at all.
 *
 * The rules are only evaluated here, never restated: callers (`src/link/decide.ts`) turn the
 * answer into a refusal code.
 */
export function refusalOf(snapshot: LinkSnapshot, event: LinkEvent): { guard: LinkGuardName | null } | null {
  if (snapshot.can(event)) return null;
  let node: AnyStateNode | undefined = linkMachine.getStateNodeById(`spotifyLink.${linkStateName(snapshot)}`);
  let candidates: readonly { guard?: unknown }[] = [];
  for (; node && candidates.length === 0; node = node.parent) candidates = node.transitions.get(event.type) ?? [];
  const last = candidates.at(-1);
  if (!last) return { guard: null };
  const failing = guardNames(last.guard).find((name) => !holds(name, snapshot, event));
  return { guard: failing ?? null };
}

/** Whether the machine's rule `name` holds for `event` in `snapshot`. */
export function holds(name: LinkGuardName, snapshot: LinkSnapshot, event: LinkEvent): boolean {
  return linkGuards[name]({ context: snapshot.context, event });
}

/** The named guards of a transition: one name, or the names inside `and([...])`. */
function guardNames(guard: unknown): LinkGuardName[] {
  if (typeof guard === 'string') return [guard as LinkGuardName];
  const parts = (guard as { guards?: unknown[] } | undefined)?.guards;
  return parts ? parts.flatMap(guardNames) : [];
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
