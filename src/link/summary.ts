/**
 * The plain-JSON summary of a link snapshot: the row of the `link_state` table, what
 * `/login` shows as "link status", and what the replay CLI prints. It carries no sealed
 * string and no hash, so it is safe to print.
 *
 * @module
 */
import type { RefreshFailure } from '../../machines/spotifyLink.context.ts';
import { MACHINE_VERSION, linkStateName, type LinkSnapshot, type LinkStateName } from '../../machines/spotifyLink.machine.ts';

/** The attempt part of a {@link LinkSummary} (no state hash, verifier or completion hash). */
export interface AttemptSummary {
  attemptId: string;
  keyId: string;
  startedAt: number;
  expiresAt: number;
  relink: boolean;
  /** True once the callback delivered a grant that waits for `/start`. */
  grantReceived: boolean;
  completionExpiresAt: number | null;
  /** The Spotify account of the waiting grant, if any (to show "confirm linking ‹name›"). */
  spotifyUserId: string | null;
}

/** The link part of a {@link LinkSummary} (no tokens). */
export interface LinkPartSummary {
  keyId: string;
  spotifyUserId: string;
  displayName: string | null;
  scopes: string[];
  accessExpiresAt: number;
  grantedAt: number;
  linkedAt: number;
  refreshExpiresAt: number;
  reminderDueAt: number;
  reminderSent: boolean;
}

/** A JSON-safe description of one user's link state. Key order is fixed (byte-stable rebuilds). */
export interface LinkSummary {
  machineVersion: number;
  state: LinkStateName;
  lastEventAt: number | null;
  attempt: AttemptSummary | null;
  link: LinkPartSummary | null;
  refreshId: string | null;
  lastRefreshFailure: RefreshFailure | null;
  revocationReason: 'invalidGrant' | 'refreshTokenExpired' | null;
}

/**
 * Summarises `snapshot` for the `link_state` table.
 * @example JSON.stringify(summarizeLink(foldLinkEvents(events)))
 */
export function summarizeLink(snapshot: LinkSnapshot): LinkSummary {
  const { attempt, link, refreshId, lastRefreshFailure, revocationReason, lastEventAt } = snapshot.context;
  return {
    machineVersion: MACHINE_VERSION,
    state: linkStateName(snapshot),
    lastEventAt,
    attempt: attempt && {
      attemptId: attempt.attemptId,
      keyId: attempt.keyId,
      startedAt: attempt.startedAt,
      expiresAt: attempt.expiresAt,
      relink: attempt.relink,
      grantReceived: attempt.grant !== null,
      completionExpiresAt: attempt.completionExpiresAt,
      spotifyUserId: attempt.grant?.spotifyUserId ?? null,
    },
    link: link && {
      keyId: link.keyId,
      spotifyUserId: link.spotifyUserId,
      displayName: link.displayName,
      scopes: [...link.scopes],
      accessExpiresAt: link.accessExpiresAt,
      grantedAt: link.grantedAt,
      linkedAt: link.linkedAt,
      refreshExpiresAt: link.refreshExpiresAt,
      reminderDueAt: link.reminderDueAt,
      reminderSent: link.reminderSent,
    },
    refreshId,
    lastRefreshFailure: lastRefreshFailure && { ...lastRefreshFailure },
    revocationReason,
  };
}
