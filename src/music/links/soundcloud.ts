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
 * needed to play it) but never in the id: the id gets a `/private` suffix instead, so the
 * key differs from the public permalink's (whose page anyone can guess) and can be logged.
 * Such links are marked `private` (the cache keys them by a sealed digest of the URL).
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
    const id = `${user}/${third}`;
    const page = `${base}/sets/${third}`;
    return SECRET.test(fourth) ? { kind: 'playlist', ...privately(id, `${page}/${fourth}`) } : { kind: 'playlist', id, url: page };
  }
  if (PROFILE_PAGES.has(second)) return { kind: 'artist', id: user, url: base };
  if (!NAME.test(second)) return null;
  const id = `${user}/${second}`;
  const page = `${base}/${second}`;
  return SECRET.test(third) ? { kind: 'track', ...privately(id, `${page}/${third}`) } : { kind: 'track', id, url: page };
}

/** The parts of a secret link: the secret only in the URL, the id marked private. */
function privately(id: string, url: string): { id: string; url: string; private: true } {
  return { id: `${id}/private`, url, private: true };
}
