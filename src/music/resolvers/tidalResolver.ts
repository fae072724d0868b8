/**
 * Tidal metadata from the public track page's preview tags: Tidal's API needs a partner
 * token, its share pages do not. `og:title` comes as "Title by Artist", "Artist - Title" or
 * the plain title; `tidalTitle.ts` reads it against `og:description` / `<title>`. No ISRC,
 * usually no duration: the matcher then leans on title and artist.
 */
import { MusicError } from '../errors.ts';
import type { MusicLink } from '../links/index.ts';
import { failForStatus, httpGet } from '../net/http.ts';
import { parsePageMeta } from '../net/pageMeta.ts';
import type { PlatformResolver, ResolveContext, Resolution } from '../types.ts';
import { readTidalTitle } from './tidalTitle.ts';
import { DEFAULT_METADATA_TIMEOUT_MS, onBase, seconds, type ResolverHttpSettings } from './settings.ts';

/** Options of {@link createTidalResolver}. */
export interface TidalResolverOptions extends ResolverHttpSettings {
  /** Where `/browse/track/<id>` pages are read (default `https://tidal.com`). */
  readonly webUrl?: string;
}

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
      const named = readTidalTitle(meta);
      const title = named?.title;
      const artist = named?.artist;
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
