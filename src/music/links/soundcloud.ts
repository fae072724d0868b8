import { pathSegments, type LinkParts } from './types.ts';
import { shortLinkParts } from './shortLink.ts';

/** SoundCloud's page host (after `www.`/`m.` are stripped). */
export const SOUNDCLOUD_HOSTS = ['soundcloud.com'] as const;
/** SoundCloud's share-link hosts. */
export const SOUNDCLOUD_SHORT_HOSTS = ['on.soundcloud.com', 'soundcloud.app.goo.gl'] as const;

/** First path segments that are SoundCloud's own pages, not user names. */
const RESERVED_ROOTS = new Set([
  'discover', 'stream', 'search', 'you', 'upload', 'charts', 'settings', 'messages', 'notifications',
  'pages', 'terms-of-use', 'mobile', 'people', 'tags', 'stations', 'jobs', 'pro', 'popular', 'imprint',
  'feed', 'explore', 'home', 'signin', 'login', 'logout', 'connect', 'download', 'apps', 'creators',
  'premium', 'go', 'player', 'oembed', 'next',
]);
/** Second segments that are parts of a user's profile, not tracks. */
const PROFILE_PAGES = new Set([
  'tracks', 'albums', 'sets', 'reposts', 'likes', 'followers', 'following', 'popular-tracks',
  'comments', 'spotlight', 'toptracks',
]);
const NAME = /^[a-z0-9_-]+$/;
const SECRET = /^s-[A-Za-z0-9]+$/;

/**
 * Parses `soundcloud.com/<user>/<track>[/s-<secret>]` (track), `<user>/sets/<set>`
 * (playlist) and `<user>` (artist), plus short links. Names are lower-cased (SoundCloud's
 * permalinks are case-insensitive). A private track's secret token stays in the URL (it is
 * needed to play it) but not in the id, so the cache key is the same either way.
 */
export function parseSoundcloudUrl(url: URL, host: string): LinkParts | null {
  if ((SOUNDCLOUD_SHORT_HOSTS as readonly string[]).includes(host)) return shortLinkParts(host, url);
  const segs = pathSegments(url);
  // Permalinks are case-insensitive; secret tokens (`s-…`) are not.
  const [user = '', second = '', third = '', fourth = ''] = segs.map((s) => (SECRET.test(s) ? s : s.toLowerCase()));
  if (!NAME.test(user) || RESERVED_ROOTS.has(user)) return null;
  const base = `https://soundcloud.com/${user}`;
  if (second === '') return { kind: 'artist', id: user, url: base };
  if (second === 'sets' && third !== '') {
    if (!NAME.test(third)) return null;
    const secret = SECRET.test(fourth) ? `/${fourth}` : '';
    return { kind: 'playlist', id: `${user}/${third}`, url: `${base}/sets/${third}${secret}` };
  }
  if (PROFILE_PAGES.has(second)) return { kind: 'artist', id: user, url: base };
  if (!NAME.test(second)) return null;
  const secret = SECRET.test(third) ? `/${third}` : '';
  return { kind: 'track', id: `${user}/${second}`, url: `${base}/${second}${secret}` };
}
