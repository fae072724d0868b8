import { pathSegments, type LinkParts } from './types.ts';
import { shortLinkParts } from './shortLink.ts';

/** Hosts whose pages are Spotify items. */
export const SPOTIFY_HOSTS = ['open.spotify.com', 'play.spotify.com'] as const;
/** Spotify's share-link hosts (`spotify.link` redirects through Branch's `spotify.app.link`). */
export const SPOTIFY_SHORT_HOSTS = ['spotify.link', 'spotify.app.link'] as const;

const ID = /^[A-Za-z0-9]{22}$/;
/** The code of an `open.spotify.com/s/<code>` share link (its length is not documented). */
const SHARE_CODE = /^[A-Za-z0-9_-]{4,64}$/;
const KINDS = new Set(['track', 'album', 'playlist', 'artist']);

function parts(kind: string, id: string | undefined): LinkParts | null {
  if (!KINDS.has(kind) || id === undefined || !ID.test(id)) return null;
  return { kind: kind as LinkParts['kind'], id, url: `https://open.spotify.com/${kind}/${id}` };
}

/**
 * Parses `open.spotify.com/[intl-xx/][embed/]track|album|playlist|artist/<id>` (and the old
 * `user/<u>/playlist/<id>` form) or a share link (`spotify.link/<code>`, `open.spotify.com/s/<code>`).
 * Podcasts (`episode`, `show`) and any other
 * page give null: the host is Spotify's, the page is not something we can play.
 */
export function parseSpotifyUrl(url: URL, host: string): LinkParts | null {
  if ((SPOTIFY_SHORT_HOSTS as readonly string[]).includes(host)) return shortLinkParts(host, url);
  let segs = pathSegments(url);
  // The 2026 mobile share links `open.spotify.com/s/<code>` live on the item host itself.
  if (segs.length === 2 && segs[0] === 's' && SHARE_CODE.test(segs[1]!)) return shortLinkParts(host, url);
  if (segs[0] !== undefined && /^intl-[a-z]{2}(?:-[a-z]{2})?$/i.test(segs[0])) segs = segs.slice(1);
  if (segs[0] === 'embed') segs = segs.slice(1);
  const [first = '', second, third, fourth] = segs;
  if (first === 'user' && third === 'playlist') return parts('playlist', fourth);
  return parts(first.toLowerCase(), second);
}

const URI = /^spotify:(?:user:[^:\s]+:)?(track|album|playlist|artist):([A-Za-z0-9]{22})$/i;

/** Parses a `spotify:track:<id>` URI (also `album`, `playlist`, `artist`, `user:<u>:playlist`). */
export function parseSpotifyUri(uri: string): LinkParts | null {
  const m = URI.exec(uri);
  if (!m) return null;
  return parts(m[1]!.toLowerCase(), m[2]);
}
