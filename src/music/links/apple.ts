import { pathSegments, type LinkParts } from './types.ts';
import { shortLinkParts } from './shortLink.ts';

/** Apple Music / iTunes Store hosts. */
export const APPLE_HOSTS = ['music.apple.com', 'itunes.apple.com', 'geo.music.apple.com', 'embed.music.apple.com'] as const;
/** Apple's share-link host. */
export const APPLE_SHORT_HOSTS = ['apple.co'] as const;

const NUM_ID = /^(?:id)?(\d+)$/;

/**
 * Parses `music.apple.com/<cc>/album/<name>/<albumId>?i=<trackId>` (a track; without `i`
 * the album), `/song/<name>/<id>`, `/playlist/<name>/pl.<id>` and `/artist/<name>/<id>`;
 * the country code and the name slug are optional, iTunes-style `id123` ids are accepted.
 */
export function parseAppleUrl(url: URL, host: string): LinkParts | null {
  if ((APPLE_SHORT_HOSTS as readonly string[]).includes(host)) return shortLinkParts(host, url);
  let segs = pathSegments(url);
  let country: string | undefined;
  if (segs[0] !== undefined && /^[a-z]{2}$/i.test(segs[0])) {
    country = segs[0].toLowerCase();
    segs = segs.slice(1);
  }
  const [type = '', ...rest] = segs;
  const last = rest.at(-1) ?? '';
  const cc = country ?? 'us';
  const extra = country ? { country } : {};
  const num = NUM_ID.exec(last)?.[1];
  switch (type) {
    case 'album': {
      if (!num) return null;
      const track = url.searchParams.get('i');
      if (track && /^\d+$/.test(track)) {
        return { kind: 'track', id: track, albumId: num, url: `https://music.apple.com/${cc}/album/${num}?i=${track}`, ...extra };
      }
      return { kind: 'album', id: num, url: `https://music.apple.com/${cc}/album/${num}`, ...extra };
    }
    case 'song':
      return num ? { kind: 'track', id: num, url: `https://music.apple.com/${cc}/song/${num}`, ...extra } : null;
    case 'artist':
      return num ? { kind: 'artist', id: num, url: `https://music.apple.com/${cc}/artist/${num}`, ...extra } : null;
    case 'playlist':
      if (!/^pl\.[A-Za-z0-9.-]+$/.test(last)) return null;
      return { kind: 'playlist', id: last, url: `https://music.apple.com/${cc}/playlist/${last}`, ...extra };
    default:
      return null;
  }
}
