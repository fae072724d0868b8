/**
 * The link domain's inline projections: the tables the design names, written in the same
 * atomic batch as the events they come from and rebuilt byte for byte from the log.
 *
 * - `link_state`: per user, the machine snapshot (state value and context, sealed strings
 *   included), its stream version and the secret-free {@link LinkSummary}. The service loads a
 *   user from here instead of folding a long stream.
 * - `user_oauth_tokens`: per user, the confirmed link's sealed tokens, expiries, scopes and sealed
 *   Spotify user (`link:<userId>`), and the grant that waits for `/start` (`grant:<userId>`).
 * - `oauth_states`: pending logins by state hash (user, attempt, key, expiry, sealed
 *   verifier, and whether the callback already came), with `user:<userId>` → state hash.
 * - `oauth_completions`: grants waiting for `/start <completion id>`, by completion hash.
 *
 * Every `evolve` is a function of the event and the table alone: no clock, no randomness.
 */
import type { Projection, ProjectionTable } from '../../eventlog/index.ts';
import { REFRESH_TOKEN_LIFETIME_MS, type CurrentLink, type LinkContext, type LinkGrant } from '../../machines/spotifyLink.context.ts';
import type { Sealed } from '../../machines/spotifyLink.events.ts';
import { evolve, initialLinkSnapshot, linkMachine, type LinkSnapshot } from '../../machines/spotifyLink.machine.ts';
import { summarizeLink, type LinkSummary } from '../../machines/spotifyLink.summary.ts';
import { toLinkEvent, userIdOfStream, type StoredEvent } from './linkLog.ts';

/** A row of `link_state`. */
export interface LinkStateRow {
  /** The stream's last position (its version). */
  version: number;
  snapshot: { value: LinkSnapshot['value']; context: LinkContext };
  summary: LinkSummary;
}

/** The confirmed link in `user_oauth_tokens` (`link:<userId>`): the machine's link minus the reminder bookkeeping. */
export type TokenRow = Omit<CurrentLink, 'reminderDueAt' | 'reminderSent'>;

/** A row of `oauth_states`, keyed by the SHA-256 hex of `state`. */
export interface OAuthStateRow {
  userId: number;
  attemptId: string;
  keyId: string;
  expiresAt: number;
  verifier: Sealed;
  /** `used` once the callback came back (with a code or an error). */
  status: 'pending' | 'used';
}

/** A row of `oauth_completions`, keyed by the SHA-256 hex of the completion id. */
export interface CompletionRow {
  userId: number;
  attemptId: string;
  expiresAt: number;
}

/** The grant waiting for `/start` (`grant:<userId>`): filled by `LoginStarted`, then `GrantReceived`. */
type PendingGrant = Partial<LinkGrant> & { keyId: string; attemptId: string };

function ownerOf(stream: string): number {
  const userId = userIdOfStream(stream);
  if (userId === undefined) throw new TypeError(`not a link stream: ${stream}`);
  return userId;
}

/**
 * Restores a snapshot stored by {@link linkStateProjection}. A row written by machine
 * version 1 carries `endedKeyIds` (every ended data key, all shredded already); it is dropped
 * so the restored context is bounded. (Version 2 of the table rebuilds such rows at open.)
 */
export function restoreSnapshot(row: LinkStateRow | undefined): LinkSnapshot {
  if (!row) return initialLinkSnapshot();
  const { endedKeyIds: _ended, ...context } = row.snapshot.context as LinkContext & { endedKeyIds?: unknown };
  return linkMachine.resolveState({ value: row.snapshot.value, context });
}

/** The snapshot part of a `link_state` row. */
export function snapshotRow(snapshot: LinkSnapshot, version: number): LinkStateRow {
  return { version, snapshot: { value: snapshot.value, context: snapshot.context }, summary: summarizeLink(snapshot) };
}

/** `link_state`: each user's machine snapshot and summary. */
export const linkStateProjection: Projection<StoredEvent, LinkStateRow> = {
  name: 'link_state',
  // 2: machine version 2 keeps no list of ended keys; rows of version 1 are rebuilt at open.
  version: 2,
  evolve(event, table) {
    const key = String(ownerOf(event.meta.stream));
    const next = evolve(restoreSnapshot(table.get(key)), toLinkEvent(event));
    table.put(key, snapshotRow(next, event.meta.streamPosition));
  },
};

/** `user_oauth_tokens`: the confirmed link's sealed tokens and the grant waiting for `/start`. */
export const tokensProjection: Projection<StoredEvent, TokenRow | PendingGrant> = {
  name: 'user_oauth_tokens',
  version: 1,
  evolve(event, table) {
    const user = ownerOf(event.meta.stream);
    const linkKey = `link:${user}`;
    const grantKey = `grant:${user}`;
    const e = toLinkEvent(event);
    switch (e.type) {
      case 'LoginStarted':
        table.put(grantKey, { keyId: e.keyId, attemptId: e.attemptId });
        return;
      case 'GrantReceived': {
        const pending = table.get(grantKey) as PendingGrant | undefined;
        if (!pending) return;
        const { spotifyUserId, displayName, scopes, accessToken, refreshToken, accessExpiresAt } = e;
        table.put(grantKey, { ...pending, spotifyUserId, displayName, scopes, accessToken, refreshToken, accessExpiresAt, grantedAt: e.at });
        return;
      }
      case 'LinkConfirmed': {
        const g = table.get(grantKey) as PendingGrant | undefined;
        table.del(grantKey);
        if (!g || g.accessToken === undefined || g.refreshToken === undefined || g.grantedAt === undefined) return;
        const row: TokenRow = {
          keyId: g.keyId,
          spotifyUserId: g.spotifyUserId!,
          displayName: g.displayName ?? null,
          scopes: g.scopes ?? [],
          accessToken: g.accessToken,
          refreshToken: g.refreshToken,
          accessExpiresAt: g.accessExpiresAt!,
          grantedAt: g.grantedAt,
          linkedAt: e.at,
          refreshExpiresAt: g.grantedAt + REFRESH_TOKEN_LIFETIME_MS,
        };
        table.put(linkKey, row);
        return;
      }
      case 'LoginDenied':
      case 'LinkRejected':
      case 'LoginExpired':
        table.del(grantKey);
        return;
      case 'TokensRefreshed': {
        const row = table.get(linkKey) as TokenRow | undefined;
        if (!row) return;
        table.put(linkKey, {
          ...row,
          accessToken: e.accessToken,
          refreshToken: e.refreshToken ?? row.refreshToken,
          accessExpiresAt: e.accessExpiresAt,
          scopes: e.scopes ?? row.scopes,
        });
        return;
      }
      case 'AccessRevoked':
        table.del(linkKey);
        return;
      case 'Unlinked':
        table.del(linkKey);
        table.del(grantKey);
        return;
      default:
        return;
    }
  },
};

/** Removes the row a `user:<id>` back-reference points to, and the back-reference. */
function dropByUser<V>(table: ProjectionTable<V | string>, user: number): void {
  const back = `user:${user}`;
  const hash = table.get(back);
  if (typeof hash === 'string') table.del(hash);
  table.del(back);
}

/** `oauth_states`: pending logins by state hash. */
export const oauthStatesProjection: Projection<StoredEvent, OAuthStateRow | string> = {
  name: 'oauth_states',
  version: 1,
  evolve(event, table) {
    const user = ownerOf(event.meta.stream);
    const e = toLinkEvent(event);
    switch (e.type) {
      case 'LoginStarted':
        dropByUser(table, user);
        table.put(e.stateHash, { userId: user, attemptId: e.attemptId, keyId: e.keyId, expiresAt: e.expiresAt, verifier: e.verifier, status: 'pending' });
        table.put(`user:${user}`, e.stateHash);
        return;
      case 'GrantReceived':
      case 'LoginDenied': {
        const hash = table.get(`user:${user}`);
        const row = typeof hash === 'string' ? table.get(hash) : undefined;
        if (typeof hash === 'string' && row && typeof row !== 'string') table.put(hash, { ...row, status: 'used' });
        return;
      }
      case 'LinkConfirmed':
      case 'LinkRejected':
      case 'LoginExpired':
      case 'Unlinked':
        dropByUser(table, user);
        return;
      default:
        return;
    }
  },
};

/** `oauth_completions`: grants waiting for `/start <completion id>`. */
export const completionsProjection: Projection<StoredEvent, CompletionRow | string> = {
  name: 'oauth_completions',
  version: 1,
  evolve(event, table) {
    const user = ownerOf(event.meta.stream);
    const e = toLinkEvent(event);
    switch (e.type) {
      case 'GrantReceived':
        dropByUser(table, user);
        table.put(e.completionHash, { userId: user, attemptId: e.attemptId, expiresAt: e.completionExpiresAt });
        table.put(`user:${user}`, e.completionHash);
        return;
      case 'LoginStarted':
      case 'LoginDenied':
      case 'LinkConfirmed':
      case 'LinkRejected':
      case 'LoginExpired':
      case 'Unlinked':
        dropByUser(table, user);
        return;
      default:
        return;
    }
  },
};

/** Every link projection, in the order they are written. */
export const linkProjections = [linkStateProjection, tokensProjection, oauthStatesProjection, completionsProjection] as const;
