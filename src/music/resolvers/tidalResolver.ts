/**
 * Tidal metadata from the public track page's preview tags: Tidal's API needs a partner
 * token, its share pages do not. Titles read "Title by Artist on TIDAL" (in `<title>`, in
 * `og:title` or in `og:description`); a plain `og:title` with a `music:musician_description`
 * works too. No ISRC, usually no duration: the matcher then leans on title and artist.
 */
import { MusicError } from '../errors.ts';
import type { MusicLink } from '../links/index.ts';
import { failForStatus, httpGet } from '../net/http.ts';
import { parsePageMeta } from '../net/pageMeta.ts';
import type { PlatformResolver, ResolveContext, Resolution } from '../types.ts';
import { DEFAULT_METADATA_TIMEOUT_MS, onBase, seconds, type ResolverHttpSettings } from './settings.ts';

/** Options of {@link createTidalResolver}. */
export interface TidalResolverOptions extends ResolverHttpSettings {
  /** Where `/browse/track/<id>` pages are read (default `https://tidal.com`). */
  readonly webUrl?: string;
}

const BY = /^(?:listen to\s+)?(.+?)\s+by\s+(.+?)(?:\s+on TIDAL)?\s*$/i;

/** Creates the Tidal resolver (tracks only). */
export function createTidalResolver(options: TidalResolverOptions = {}): PlatformResolver {
  return {
    async resolve(link: MusicLink, ctx: ResolveContext): Promise<Resolution> {
      if (link.kind !== 'track') {
        throw new MusicError('MUSIC_COLLECTION_UNSUPPORTED', `tidal ${link.kind} links are not supported yet`, { service: 'tidal' });
      }
      const res = await httpGet(onBase(link.url, options.webUrl ?? 'https://tidal.com'), 'tidal', {
        timeoutMs: options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS,
        signal: ctx.signal,
        fetch: options.fetch,
      });
      if (res.status !== 200) failForStatus(res.status, 'tidal');
      const meta = parsePageMeta(res.text);
      const ogTitle = meta.tags.get('og:title');
      const byForm = [ogTitle, meta.tags.get('og:description'), meta.title]
        .map((s) => (s ? BY.exec(s.replace(/\s*\|\s*TIDAL\s*$/i, '')) : null))
        .find((m) => m !== null);
      const title = byForm?.[1] ?? ogTitle;
      const artist = byForm?.[2] ?? meta.tags.get('music:musician_description');
      if (!title) throw new MusicError('MUSIC_DEAD_LINK', 'the tidal page names no track', { service: 'tidal' });
      const cover = meta.tags.get('og:image');
      const durationSec = seconds(meta.tags.get('music:duration'));
      return {
        kind: 'track',
        track: {
          platform: 'tidal',
          pageUrl: link.url,
          title,
          artists: artist ? artist.split(/, | & /).map((a) => a.trim()).filter(Boolean) : [],
          ...(durationSec && { durationSec }),
          ...(cover && { coverUrl: cover }),
        },
      };
    },
  };
}
