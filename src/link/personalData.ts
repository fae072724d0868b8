/**
 * Personal data of a link (the Spotify user id and display name): sealed under the link's
 * data key like its tokens, so `/unlink` (which shreds the key) makes them unreadable in the
 * append-only log too. Opened only to show them to their owner while the key exists.
 *
 * The associated data is the Telegram user id, as for the tokens: a value copied into another
 * user's stream does not open.
 *
 * @module
 */
import { DataKeyShreddedError, DecryptError, type TokenVault } from '../../eventlog/index.ts';
import { asSealed, LEGACY_PLAINTEXT_PREFIX, type Sealed } from '../../machines/spotifyLink.events.ts';
import type { LinkSummary } from './summary.ts';

/**
 * What a personal value reads as once its data key is shredded (or it does not open): only
 * reachable for a grant whose key ended; a current link's key always exists.
 */
export const UNAVAILABLE = '‹unavailable›';

/** Seals one personal value under `keyId` for Telegram user `userId`. */
export async function sealPersonal(vault: Pick<TokenVault<unknown>, 'seal' | 'open'>, keyId: string, userId: number, text: string): Promise<Sealed> {
  return asSealed(await vault.seal(keyId, text, String(userId)));
}

/**
 * Opens one personal value: a legacy plaintext one (from `GrantReceived@1`) as it is, a sealed
 * one with the data key `keyId`. Undefined when the key is shredded or the value does not open.
 */
export async function openPersonal(vault: Pick<TokenVault<unknown>, 'seal' | 'open'>, keyId: string, userId: number, value: string): Promise<string | undefined> {
  if (value.startsWith(LEGACY_PLAINTEXT_PREFIX)) return value.slice(LEGACY_PLAINTEXT_PREFIX.length);
  try {
    return await vault.open(keyId, value, String(userId));
  } catch (err) {
    if (err instanceof DataKeyShreddedError || err instanceof DecryptError) return undefined;
    throw err;
  }
}

/** The Spotify account of a grant in readable form: id, and name (null when Spotify has none). */
export interface SpotifyIdentity {
  spotifyUserId: string;
  displayName: string | null;
}

/** Opens a grant's sealed id and name; {@link UNAVAILABLE} for what no longer opens. */
export async function openIdentity(
  vault: Pick<TokenVault<unknown>, 'seal' | 'open'>,
  keyId: string,
  userId: number,
  sealed: { spotifyUserId: string; displayName: string | null },
): Promise<SpotifyIdentity> {
  const id = (await openPersonal(vault, keyId, userId, sealed.spotifyUserId)) ?? UNAVAILABLE;
  const name = sealed.displayName === null ? null : ((await openPersonal(vault, keyId, userId, sealed.displayName)) ?? UNAVAILABLE);
  return { spotifyUserId: id, displayName: name };
}

/**
 * A copy of `summary` whose Spotify user id and display name are opened, for showing to the
 * link's owner (`/start`, `/login`). The stored summary keeps them sealed.
 */
export async function openSummary(vault: Pick<TokenVault<unknown>, 'seal' | 'open'>, userId: number, summary: LinkSummary): Promise<LinkSummary> {
  const { attempt, link } = summary;
  const openedAttempt =
    attempt && attempt.spotifyUserId !== null
      ? { ...attempt, spotifyUserId: (await openPersonal(vault, attempt.keyId, userId, attempt.spotifyUserId)) ?? UNAVAILABLE }
      : attempt;
  const openedLink = link && { ...link, ...(await openIdentity(vault, link.keyId, userId, link)) };
  return { ...summary, attempt: openedAttempt, link: openedLink };
}
