import { pathSegments, type LinkParts } from './types.ts';

/** Tidal's hosts (after `www.` is stripped). */
export const TIDAL_HOSTS = ['tidal.com', 'listen.tidal.com', 'embed.tidal.com'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Parses `tidal.com/[browse/]track|album|artist/<id>`, `album/<a>/track/<t>`,
 * `playlist/<uuid>` (a trailing `/u` share marker is ignored).
 */
export function parseTidalUrl(url: URL, _host: string): LinkParts | null {
  let segs = pathSegments(url);
  if (segs[0] === 'browse') segs = segs.slice(1);
  const [type = '', id = '', sub = '', subId = ''] = segs;
  const base = 'https://tidal.com/browse';
  if (type === 'album' && /^\d+$/.test(id) && sub === 'track' && /^\d+$/.test(subId)) {
    return { kind: 'track', id: subId, albumId: id, url: `${base}/track/${subId}` };
  }
  if ((type === 'track' || type === 'album' || type === 'artist') && /^\d+$/.test(id)) {
    return { kind: type, id, url: `${base}/${type}/${id}` };
  }
  if (type === 'playlist' && UUID.test(id)) {
    const lower = id.toLowerCase();
    return { kind: 'playlist', id: lower, url: `${base}/playlist/${lower}` };
  }
  return null;
}
