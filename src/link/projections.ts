/**
 * The link domain's inline projections: the tables the design names, written in the same
 * atomic batch as the events they come from and rebuilt byte for byte from the log (see
 * `linkTables.ts` for what each table holds).
 *
 * Every `evolve` is a function of the event and the table alone: no clock, no randomness.
 * `link_state` takes one shortcut: the snapshot `decide` already computed for an event being
 * appended ({@link rememberDecided}) is used instead of running the machine again; a rebuild,
 * which has no such snapshot, runs it.
 */
import type { Projection, ProjectionTable } from '../../eventlog/index.ts';
import { REFRESH_TOKEN_LIFETIME_MS, type LinkContext } from '../../machines/spotifyLink.context.ts';
import type { LinkEvent } from '../../machines/spotifyLink.events.ts';
import { evolve, initialLinkSnapshot, linkMachine, type LinkSnapshot } from '../../machines/spotifyLink.machine.ts';
import { userIdOfStream } from './linkLog.ts';
import { LINK_TABLES, writeView, type LinkStateRow, type TableSpec, type TokenRow } from './linkTables.ts';
import { summarizeLink } from './summary.ts';

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

/**
 * Snapshots `decide` computed for events on their way into the log, by stream, position and
 * the append's correlation id (unique per append: two stores in one process, as in tests,
 * never take each other's).
 */
const decided = new Map<string, LinkSnapshot>();
const decidedKey = (stream: string, position: number, correlationId: string) => `${stream}@${position}@${correlationId}`;

/**
 * Hands the projection the snapshots `decide` computed for events about to be appended at
 * `firstPosition`, `firstPosition + 1`, … of `stream` by the append `correlationId`; returns the function that takes them
 * back once the append has settled (written or refused). The append's expected version
 * guarantees they follow the row the projection holds.
 */
export function rememberDecided(stream: string, firstPosition: number, correlationId: string, snapshots: readonly LinkSnapshot[]): () => void {
  const keys = snapshots.map((snapshot, i) => {
    const key = decidedKey(stream, firstPosition + i, correlationId);
    decided.set(key, snapshot);
    return key;
  });
  return () => {
    for (const key of keys) decided.delete(key);
  };
}

/** `link_state`: each user's machine snapshot and summary. */
export const linkStateProjection: Projection<LinkEvent, LinkStateRow> = {
  name: LINK_TABLES.linkState.projection,
  // 2: machine version 2 keeps no list of ended keys; rows of version 1 are rebuilt at open.
  version: 2,
  evolve(event, table) {
    const { stream, streamPosition, correlationId } = event.meta;
    const key = String(ownerOf(stream));
    const next = decided.get(decidedKey(stream, streamPosition, correlationId)) ?? evolve(restoreSnapshot(table.get(key)), event);
    table.put(key, snapshotRow(next, streamPosition));
  },
};

/** `user_oauth_tokens`: the confirmed link's sealed tokens and the grant that waits for `/start`. */
export const tokensProjection: Projection<LinkEvent, unknown> = {
  name: LINK_TABLES.tokens.projection,
  version: 1,
  evolve(event, table) {
    const user = ownerOf(event.meta.stream);
    const links = writeView(table, LINK_TABLES.tokens);
    const grants = writeView(table, LINK_TABLES.pendingGrants);
    switch (event.type) {
      case 'LoginStarted':
        grants.put(user, { keyId: event.data.keyId, attemptId: event.data.attemptId });
        return;
      case 'GrantReceived': {
        const pending = grants.get(user);
        if (!pending) return;
        const { spotifyUserId, displayName, scopes, accessToken, refreshToken, accessExpiresAt, at } = event.data;
        grants.put(user, { ...pending, spotifyUserId, displayName, scopes, accessToken, refreshToken, accessExpiresAt, grantedAt: at });
        return;
      }
      case 'LinkConfirmed': {
        const g = grants.get(user);
        grants.del(user);
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
          linkedAt: event.data.at,
          refreshExpiresAt: g.grantedAt + REFRESH_TOKEN_LIFETIME_MS,
        };
        links.put(user, row);
        return;
      }
      case 'LoginDenied':
      case 'LinkRejected':
      case 'LoginExpired':
        grants.del(user);
        return;
      case 'TokensRefreshed': {
        const row = links.get(user);
        if (!row) return;
        const { accessToken, refreshToken, accessExpiresAt, scopes } = event.data;
        links.put(user, { ...row, accessToken, refreshToken: refreshToken ?? row.refreshToken, accessExpiresAt, scopes: scopes ?? row.scopes });
        return;
      }
      case 'AccessRevoked':
        links.del(user);
        return;
      case 'Unlinked':
        links.del(user);
        grants.del(user);
        return;
      default:
        return;
    }
  },
};

/** Rows found by a hash, with each user's current hash beside them (to drop the row when it ends). */
function hashedRows<Row>(table: ProjectionTable<unknown>, rows: TableSpec<Row>, ofUser: TableSpec<string>) {
  const byHash = writeView(table, rows);
  const byUser = writeView(table, ofUser);
  return {
    byHash,
    /** The user's current row (and its hash), if any. */
    current(user: number): { hash: string; row: Row } | undefined {
      const hash = byUser.get(user);
      const row = hash === undefined ? undefined : byHash.get(hash);
      return hash === undefined || row === undefined ? undefined : { hash, row };
    },
    /** Makes `row` the user's one row, dropping the one it replaces. */
    replace(user: number, hash: string, row: Row): void {
      this.drop(user);
      byHash.put(hash, row);
      byUser.put(user, hash);
    },
    /** Drops the user's row and the back-reference to it. */
    drop(user: number): void {
      const hash = byUser.get(user);
      if (hash !== undefined) byHash.del(hash);
      byUser.del(user);
    },
  };
}

/** `oauth_states`: pending logins by state hash. */
export const oauthStatesProjection: Projection<LinkEvent, unknown> = {
  name: LINK_TABLES.oauthStates.projection,
  // 2: rows under `state:`; version 1 kept them under the bare hash.
  version: 2,
  evolve(event, table) {
    const user = ownerOf(event.meta.stream);
    const states = hashedRows(table, LINK_TABLES.oauthStates, LINK_TABLES.oauthStateOfUser);
    switch (event.type) {
      case 'LoginStarted': {
        const { stateHash, attemptId, keyId, expiresAt, verifier } = event.data;
        states.replace(user, stateHash, { userId: user, attemptId, keyId, expiresAt, verifier, status: 'pending' });
        return;
      }
      case 'GrantReceived':
      case 'LoginDenied': {
        const current = states.current(user);
        if (current) states.byHash.put(current.hash, { ...current.row, status: 'used' });
        return;
      }
      case 'LinkConfirmed':
      case 'LinkRejected':
      case 'LoginExpired':
      case 'Unlinked':
        states.drop(user);
        return;
      default:
        return;
    }
  },
};

/** `oauth_completions`: grants waiting for `/start <completion id>`, by completion hash. */
export const completionsProjection: Projection<LinkEvent, unknown> = {
  name: LINK_TABLES.completions.projection,
  // 2: rows under `completion:`; version 1 kept them under the bare hash.
  version: 2,
  evolve(event, table) {
    const user = ownerOf(event.meta.stream);
    const completions = hashedRows(table, LINK_TABLES.completions, LINK_TABLES.completionOfUser);
    switch (event.type) {
      case 'GrantReceived': {
        const { completionHash, attemptId, completionExpiresAt } = event.data;
        completions.replace(user, completionHash, { userId: user, attemptId, expiresAt: completionExpiresAt });
        return;
      }
      case 'LoginStarted':
      case 'LoginDenied':
      case 'LinkConfirmed':
      case 'LinkRejected':
      case 'LoginExpired':
      case 'Unlinked':
        completions.drop(user);
        return;
      default:
        return;
    }
  },
};

/** Every link projection, in the order they are written. */
export const linkProjections = [linkStateProjection, tokensProjection, oauthStatesProjection, completionsProjection] as const;
