import { pathSegments, type LinkParts } from './types.ts';
import { shortLinkParts } from './shortLink.ts';

/** Deezer's page host (after `www.`/`m.` are stripped). */
export const DEEZER_HOSTS = ['deezer.com'] as const;
/** Deezer's share-link hosts (`link.deezer.com/s/…`, Firebase `deezer.page.link`, `dzr.page.link`). */
export const DEEZER_SHORT_HOSTS = ['link.deezer.com', 'deezer.page.link', 'dzr.page.link'] as const;

const KINDS = new Set(['track', 'album', 'playlist', 'artist']);

/** Parses `deezer.com/[<lang>/]track|album|playlist|artist/<id>` and short links. */
export function parseDeezerUrl(url: URL, host: string): LinkParts | null {
  if ((DEEZER_SHORT_HOSTS as readonly string[]).includes(host)) return shortLinkParts(host, url);
  let segs = pathSegments(url);
  if (segs[0] !== undefined && /^[a-z]{2}(?:-[a-z]{2})?$/i.test(segs[0])) segs = segs.slice(1);
  const [type = '', id = ''] = segs;
  if (!KINDS.has(type) || !/^\d+$/.test(id)) return null;
  return { kind: type as LinkParts['kind'], id, url: `https://www.deezer.com/${type}/${id}` };
}
