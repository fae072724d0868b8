/**
 * Shared types of the music-link parser: what a link in a user's message turned into.
 *
 * A {@link MusicLink} is the parser's whole answer about one link: which service, what
 * kind of item, its id on that service and a canonical `key` that is the same for every
 * spelling of the same item (mobile host, `intl-xx` prefix, tracking parameters, URI or
 * URL form). The key is what the `file_id` cache and deduplication use.
 */

/** The music services the bot understands. */
export type Platform = 'spotify' | 'yandex' | 'youtube' | 'soundcloud' | 'apple' | 'deezer' | 'tidal';

/**
 * What a link points at. `short` is a share link (`spotify.link/…`, `on.soundcloud.com/…`)
 * whose target is only known after following its redirect (see `resolveShortLink`);
 * `video` is a YouTube video (which may or may not be music).
 */
export type LinkKind = 'track' | 'album' | 'playlist' | 'artist' | 'short' | 'video';

/**
 * One recognised music link.
 *
 * Invariants: `key === \`${platform}:${kind}:${id}\``; `url` is rebuilt from the parsed
 * parts (never the user's string), so it carries no tracking parameters;
 * `needsRedirect` is true exactly when `kind === 'short'`.
 */
export interface MusicLink {
  readonly platform: Platform;
  readonly kind: LinkKind;
  /**
   * The item's id on its service: a Spotify base62 id, a numeric Yandex/Apple/Deezer/Tidal
   * id, an 11-character YouTube id, `user/slug` on SoundCloud, or `host/path` of a short link.
   */
  readonly id: string;
  /** Canonical key, e.g. `spotify:track:4uLU6hMCjMI75M1A2tKUQC`, `youtube:video:dQw4w9WgXcQ`. */
  readonly key: string;
  /** Canonical URL of the item, tracking parameters dropped. */
  readonly url: string;
  /** The text of the link exactly as it stood in the message (after trimming punctuation). */
  readonly original: string;
  /** True for short links: follow the redirect before resolving metadata. */
  readonly needsRedirect: boolean;
  /** YouTube `/live/<id>` links: probably a live stream, which the downloader refuses. */
  readonly live?: boolean;
  /** Album id when a track link carries one (Yandex `album/<a>/track/<t>`, Apple `?i=`). */
  readonly albumId?: string;
  /** Store country when the link names one (Apple `music.apple.com/<cc>/…`). */
  readonly country?: string;
  /**
   * A private SoundCloud link: its `url` holds a secret token (`/s-…`) that grants access.
   * Its `key` marks it private but holds no part of the secret; the audio cache keys it by
   * a sealed digest of the secret instead (see `AudioCache.sealedKey`), never by a public key.
   */
  readonly private?: true;
}

/**
 * A link the bot cannot turn into audio but should not ignore: a music-ish service it does
 * not support (Bandcamp, VK, Zvuk, …), or a supported service's page that is not a track,
 * album, playlist or artist (a podcast episode, a YouTube channel handle, a home page).
 */
export interface UnsupportedLink {
  /** The URL as parsed (scheme added when missing), query kept. */
  readonly url: string;
  readonly host: string;
  readonly reason: 'unsupported-host' | 'unrecognised-path';
  /** Set when the host belongs to a supported platform (`reason === 'unrecognised-path'`). */
  readonly platform?: Platform;
  readonly original: string;
}

/** Everything music-related found in one message, each list in message order, deduplicated. */
export interface ParsedMessage {
  readonly links: MusicLink[];
  readonly unsupported: UnsupportedLink[];
}

/** The part of a {@link MusicLink} a platform parser decides; the dispatcher adds the rest. */
export interface LinkParts {
  readonly kind: LinkKind;
  readonly id: string;
  readonly url: string;
  readonly live?: boolean;
  readonly albumId?: string;
  readonly country?: string;
  readonly private?: true;
}

/** Path segments of a URL, empty ones dropped, each percent-decoded when that is safe. */
export function pathSegments(url: URL): string[] {
  return url.pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}
