import type { LinkParts } from './types.ts';

/**
 * Parts of a share link whose target is only known after a redirect: the id is
 * `host/path` (codes of different short-link services may collide), the canonical URL
 * keeps the path and drops the query (which only carries tracking on these services).
 * Returns null for a bare host with no code.
 */
export function shortLinkParts(host: string, url: URL): LinkParts | null {
  const path = url.pathname.replace(/\/+$/, '');
  if (path.length <= 1) return null;
  return { kind: 'short', id: `${host}${path}`, url: `https://${host}${path}` };
}
