/**
 * Music links as the shared PostgreSQL database keeps them (the download queue's job payloads,
 * the choices a worker offers): the link's key in the clear, its URL and the text the user sent
 * sealed with AES-256-GCM.
 *
 * Why: a private SoundCloud link's URL *is* its secret token (`/s-…` grants access to the
 * track), and every other URL says what a user listens to; the database is read by operators,
 * `pg_dump` backups and every process of the bot. The key is what the bot's own logs and the
 * `file_id` cache already show (a private link's key holds no part of its secret).
 *
 * The sealing key is derived (HKDF-SHA-256) from `TOKEN_ENCRYPTION_KEY`, which every role
 * already has, so a web instance seals and any worker opens; boxes sealed under a key now in
 * `TOKEN_ENCRYPTION_KEYS_PREVIOUS` still open, so a rotation does not drop queued jobs. The key
 * is the box's additional data: a box moved to another key does not open.
 *
 * @module
 */
import { hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { gcmOpen, gcmSeal } from '../../../eventlog/vault/aesGcm.ts';
import { parseUrl, type MusicLink } from '../../music/links/index.ts';

const LinkKey = z.string().min(1).max(512);
const LinkUrl = z.string().min(1).max(2048);
const LinkOriginal = z.string().max(2048);

/**
 * A link in the clear: enough to parse it again (`parseUrl(url, original)` must give `key`).
 * The shape of a job's link in memory (`musicJob.ts`) and of links an older bot stored.
 */
export const PlainLinkSchema = z.object({ url: LinkUrl, original: LinkOriginal, key: LinkKey });
export type PlainLink = z.infer<typeof PlainLinkSchema>;

/**
 * `link` parsed again where it is used (a worker, another instance); undefined when it no
 * longer parses to the key the bot parsed it to (the parser changed meanwhile).
 */
export function reparseLink(link: PlainLink): MusicLink | undefined {
  const verdict = parseUrl(link.url, link.original);
  return verdict.type === 'link' && verdict.link.key === link.key ? verdict.link : undefined;
}

/** A link as stored in the shared database. */
export const SealedLinkSchema = z.object({
  key: LinkKey,
  /** base64url of `iv | ciphertext | tag`; the plaintext is `[url, original]` as JSON. */
  sealed: z.string().regex(/^[A-Za-z0-9_-]+$/).max(8192),
});
export type SealedLink = z.infer<typeof SealedLinkSchema>;

/**
 * What a store reads back: a sealed link, or a plain one that a bot from before links were
 * sealed wrote into the same database (jobs and choices in flight during an upgrade still
 * work). Plain links are read, never written.
 */
export const StoredLinkSchema = z.union([SealedLinkSchema, PlainLinkSchema]);
export type StoredLink = z.infer<typeof StoredLinkSchema>;

const INFO = 'musicbot: music links in the shared database, v1';
const Plaintext = z.tuple([LinkUrl, LinkOriginal]);

/** Seals and opens {@link SealedLink}s; see the module comment. */
export class LinkSeal {
  readonly #keys: readonly Buffer[];

  /** @param masterKeys `TOKEN_ENCRYPTION_KEY` first, then the previous keys (32 bytes each). */
  constructor(masterKeys: readonly Uint8Array[]) {
    if (masterKeys.length === 0) throw new TypeError('LinkSeal needs the master key');
    this.#keys = masterKeys.map((k) => Buffer.from(hkdfSync('sha256', k, new Uint8Array(0), INFO, 32)));
  }

  /** The stored form of `link`, sealed under the current master key. */
  seal(link: PlainLink): SealedLink {
    const box = gcmSeal(this.#keys[0]!, Buffer.from(JSON.stringify([link.url, link.original])), Buffer.from(link.key));
    return { key: link.key, sealed: box.toString('base64url') };
  }

  /** The link back; undefined when the box was altered, moved to another key or sealed under an unknown master key. */
  open(stored: StoredLink): PlainLink | undefined {
    if (!('sealed' in stored)) return stored;
    const box = Buffer.from(stored.sealed, 'base64url');
    for (const key of this.#keys) {
      const plain = gcmOpen(key, box, Buffer.from(stored.key));
      if (!plain) continue;
      let parts: unknown;
      try {
        parts = JSON.parse(plain.toString('utf8'));
      } catch {
        return undefined;
      }
      const parsed = Plaintext.safeParse(parts);
      return parsed.success ? { url: parsed.data[0], original: parsed.data[1], key: stored.key } : undefined;
    }
    return undefined;
  }
}
