/**
 * The link domain's tables, typed, as the rest of `src/link` reads them: callers write
 * `tables.oauthStates.get(stateHash)`, never a projection's name or a key's prefix.
 *
 * Each table is a typed slice of one projection's keyspace: a projection may only write its
 * own keyspace inside the append's batch, so a back-reference (user → state hash) lives beside
 * the rows it points at, under a prefix of its own and with a type of its own.
 *
 * | table | projection | key | row |
 * | --- | --- | --- | --- |
 * | `linkState` | `link_state` | user id | {@link LinkStateRow} |
 * | `tokens` | `user_oauth_tokens` | `link:<user id>` | {@link TokenRow} |
 * | `pendingGrants` | `user_oauth_tokens` | `grant:<user id>` | {@link PendingGrant} |
 * | `oauthStates` | `oauth_states` | `state:<state hash>` | {@link OAuthStateRow} |
 * | `oauthStateOfUser` | `oauth_states` | `user:<user id>` | state hash |
 * | `completions` | `oauth_completions` | `completion:<completion hash>` | {@link CompletionRow} |
 * | `completionOfUser` | `oauth_completions` | `user:<user id>` | completion hash |
 *
 * @module
 */
import type { EventLog, ProjectionTable } from '../../eventlog/index.ts';
import type { CurrentLink, LinkContext, LinkGrant } from '../../machines/spotifyLink.context.ts';
import type { LinkEvent, Sealed } from '../../machines/spotifyLink.events.ts';
import type { LinkSnapshot } from '../../machines/spotifyLink.machine.ts';
import type { LinkSummary } from './summary.ts';

/** A row of `linkState`. */
export interface LinkStateRow {
  /** The stream's last position (its version). */
  version: number;
  snapshot: { value: LinkSnapshot['value']; context: LinkContext };
  summary: LinkSummary;
}

/** The confirmed link's row in `tokens`: the machine's link minus the reminder bookkeeping. */
export type TokenRow = Omit<CurrentLink, 'reminderDueAt' | 'reminderSent'>;

/** The grant waiting for `/start`: filled by `LoginStarted`, then `GrantReceived`. */
export type PendingGrant = Partial<LinkGrant> & { keyId: string; attemptId: string };

/** A row of `oauthStates`: a pending login, found by the SHA-256 hex of its `state`. */
export interface OAuthStateRow {
  userId: number;
  attemptId: string;
  keyId: string;
  expiresAt: number;
  verifier: Sealed;
  /** `used` once the callback came back (with a code or an error). */
  status: 'pending' | 'used';
}

/** A row of `completions`: a grant waiting for `/start`, found by the SHA-256 hex of its completion id. */
export interface CompletionRow {
  userId: number;
  attemptId: string;
  expiresAt: number;
}

/** Where a table lives: its projection's keyspace and its key prefix there. */
export interface TableSpec<Row> {
  readonly projection: string;
  readonly prefix: string;
  /** Never set: carries the row type. */
  readonly row?: Row;
}

const spec = <Row>(projection: string, prefix: string): TableSpec<Row> => ({ projection, prefix });

/** Every link table; the projections write them, {@link openLinkTables} reads them. */
export const LINK_TABLES = {
  linkState: spec<LinkStateRow>('link_state', ''),
  tokens: spec<TokenRow>('user_oauth_tokens', 'link:'),
  pendingGrants: spec<PendingGrant>('user_oauth_tokens', 'grant:'),
  oauthStates: spec<OAuthStateRow>('oauth_states', 'state:'),
  oauthStateOfUser: spec<string>('oauth_states', 'user:'),
  completions: spec<CompletionRow>('oauth_completions', 'completion:'),
  completionOfUser: spec<string>('oauth_completions', 'user:'),
} as const;


/** A table to read from outside the append (services, the sweeper, tools). */
export interface ReadTable<Row> {
  get(key: string | number): Promise<Row | undefined>;
  /** Every row in key order. */
  entries(): AsyncIterable<[string, Row]>;
}

/** The typed tables over a store's projections. */
export type LinkTables = { readonly [K in keyof typeof LINK_TABLES]: ReadTable<(typeof LINK_TABLES)[K] extends TableSpec<infer Row> ? Row : never> };

/** Opens typed read views of the link tables of `store`. */
export function openLinkTables(store: Pick<EventLog<LinkEvent, unknown>, 'table'>): LinkTables {
  const view = <Row>({ projection, prefix }: TableSpec<Row>): ReadTable<Row> => {
    const table = store.table<Row>(projection);
    return {
      get: (key) => table.get(prefix + key),
      async *entries() {
        const range = prefix ? { gte: prefix, lt: prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1) } : undefined;
        for await (const [key, row] of table.entries(range)) yield [key.slice(prefix.length), row];
      },
    };
  };
  const t = LINK_TABLES;
  return {
    linkState: view(t.linkState),
    tokens: view(t.tokens),
    pendingGrants: view(t.pendingGrants),
    oauthStates: view(t.oauthStates),
    oauthStateOfUser: view(t.oauthStateOfUser),
    completions: view(t.completions),
    completionOfUser: view(t.completionOfUser),
  };
}

/** A table as a projection writes it inside the batch. */
export interface WriteTable<Row> {
  get(key: string | number): Row | undefined;
  put(key: string | number, row: Row): void;
  del(key: string | number): void;
}

/** The typed view of `spec` over the projection table an `evolve` was given. */
export function writeView<Row>(table: ProjectionTable<unknown>, { prefix }: TableSpec<Row>): WriteTable<Row> {
  return {
    get: (key) => table.get(prefix + key) as Row | undefined,
    put: (key, row) => table.put(prefix + key, row),
    del: (key) => table.del(prefix + key),
  };
}
