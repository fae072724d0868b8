/**
 * A realistic data dir for the dev tools' tests: a link service on a classic-level store in
 * `<dataDir>/db` (as the app lays it out), driven through nine users' lifecycles over half a
 * year so that the log holds **every** link event type, and the list of every secret that
 * went through it (the fake Spotify's tokens, codes and states, the completion ids, and the
 * sealed values and hashes stored in the log) so tests can prove none of them is printed.
 *
 * @example
 * const log = await generateLinkLog(dir);            // the store is closed afterwards
 * const held = await generateLinkLog(dir, { keepOpen: true }); // ...or still holds the lock
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPLETION_TTL_MS } from '../../machines/spotifyLink.context.ts';
import { LINK_EVENT_TYPES } from '../../machines/spotifyLink.events.ts';
import { dbLocation } from '../../src/storage/dataDir.ts';
import { REFRESH_MARGIN_MS } from '../../src/link/tokenRefresher.ts';
import { sealedValuesInLog, startLinkHarness, type LinkHarness } from './linkHarness.ts';

const DAY = 24 * 3600_000;

/** The users of the generated log, named by what happened to them. */
export const LOG_USERS = { relinked: 1, revoked: 2, denied: 3, foreign: 4, pending: 5, confirming: 6, unlinked: 7, failing: 8, expired: 9 } as const;

/** The state each user ends in. */
export const LOG_FINAL_STATES: Readonly<Record<number, string>> = {
  1: 'linked', 2: 'revoked', 3: 'unlinked', 4: 'unlinked', 5: 'awaitingCallback.pending',
  6: 'awaitingCallback.confirming', 7: 'unlinked', 8: 'linked', 9: 'unlinked',
};

/** A generated data dir. */
export interface GeneratedLog {
  dataDir: string;
  /** Every secret that passed through the bot or sits (sealed or hashed) in the log. */
  secrets: string[];
  /** The secrets in the clear only (the fake Spotify's tokens, codes and states, the completion ids): never stored as they are. */
  plaintext: string[];
  /** Event types found in the log (every link event type). */
  eventTypes: string[];
  /** The harness, still open (holding the data dir's lock) with `keepOpen`. */
  harness: LinkHarness | undefined;
  /** Closes the harness if open and removes the data dir. */
  dispose(): Promise<void>;
}

/** A fresh temp directory for a data dir. */
export function tempDataDir(label = 'devtools'): Promise<string> {
  return mkdtemp(join(tmpdir(), `${label}-`));
}

async function refresh(h: LinkHarness, userId: number): Promise<void> {
  h.clock.t = Math.max(h.clock.t, (await h.links.status(userId)).link!.accessExpiresAt - REFRESH_MARGIN_MS);
  await h.links.accessToken(userId).catch(() => undefined);
}

/** Nine users, each through a different part of the lifecycle (every event type appears). */
async function history(h: LinkHarness, completionIds: string[]): Promise<void> {
  const U = LOG_USERS;
  const ctx = { locale: 'en' as const, correlationId: 'gen' };
  for (const id of ['bob', 'carol']) h.spotify.addUser({ id });
  await h.link(U.relinked);
  await h.link(U.revoked, 'bob');
  await h.link(U.unlinked, 'carol');
  await h.link(U.failing);
  await refresh(h, U.relinked);
  h.spotify.setLoginOutcome({ deny: true });
  const denied = await h.spotify.login((await h.links.startLogin(U.denied)).authorizeUrl);
  await h.links.handleCallback({ state: denied.state!, error: 'access_denied' }, ctx);
  completionIds.push(await h.loginThroughCallback(U.foreign));
  await h.links.confirm(U.relinked, completionIds.at(-1)!); // someone else's /start → LinkRejected
  await h.loginThroughCallback(U.expired);
  h.clock.advance(COMPLETION_TTL_MS);
  await h.links.sweep(); // LoginExpired
  h.spotify.revokeRefreshTokens('bob');
  await refresh(h, U.revoked); // AccessRevoked
  await h.links.unlink(U.unlinked);
  h.spotify.fail('token', { kind: 'rate-limited', retryAfterSec: 600 });
  await refresh(h, U.failing); // RefreshFailed
  completionIds.push(await h.loginThroughCallback(U.relinked, 'carol'));
  await h.links.confirm(U.relinked, completionIds.at(-1)!);
  h.clock.advance(170 * DAY);
  await h.links.sweep(); // RelinkReminderSent
  h.spotify.setLoginOutcome({ as: 'alice' });
  await h.links.startLogin(U.pending);
  completionIds.push(await h.loginThroughCallback(U.confirming));
}

/**
 * Generates the log in `<dataDir>/db` (a new temp dir when `dataDir` is omitted).
 * With `keepOpen` the harness stays open, holding the data dir as the running bot would.
 */
export async function generateLinkLog(options: { dataDir?: string; keepOpen?: boolean } = {}): Promise<GeneratedLog> {
  const dataDir = options.dataDir ?? (await tempDataDir());
  const h = await startLinkHarness({ location: dbLocation(dataDir) });
  const completionIds: string[] = [];
  await history(h, completionIds);
  await h.links.stop();
  const { values } = await sealedValuesInLog(h.store);
  const hashes: string[] = [];
  const types = new Set<string>();
  for await (const e of h.store.readAll()) {
    types.add(e.type);
    for (const field of ['stateHash', 'completionHash']) {
      const v = (e.data as Record<string, unknown>)[field];
      if (typeof v === 'string') hashes.push(v);
    }
  }
  const plaintext = [...h.spotify.secrets(), ...completionIds];
  const secrets = [...plaintext, ...values.map((v) => v.sealed), ...hashes];
  const eventTypes = LINK_EVENT_TYPES.filter((t) => types.has(t));
  let harness: LinkHarness | undefined = h;
  if (!options.keepOpen) {
    await h.close();
    harness = undefined;
  }
  return {
    dataDir,
    secrets,
    plaintext,
    eventTypes,
    harness,
    async dispose() {
      if (harness) await harness.close();
      harness = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
