/**
 * YouTube and SoundCloud: sites yt-dlp downloads from directly. A video or track needs no
 * separate metadata step: the download run prints the info JSON (`-j`) before it fetches
 * the media, which saves one yt-dlp start per request. Playlists and sets are read with
 * `yt-dlp -J --flat-playlist` for their first tracks.
 */
import { MusicError } from '../errors.ts';
import { parseUrl, type MusicLink } from '../links/index.ts';
import { ytDlpProbe, type YtDlpSettings } from '../tools/ytDlp.ts';
import type { CollectionItem, PlatformResolver, ResolveContext, Resolution } from '../types.ts';
import { arr, obj, seconds, str } from './settings.ts';

/** Options of {@link createMediaResolver}. */
export interface MediaResolverOptions {
  readonly ytdlp: YtDlpSettings;
  /** Maps a canonical media URL to where it is fetched from (identity in production). */
  readonly mediaUrl: (url: string) => string;
  /** Budget of a playlist read (default 60 s). */
  readonly timeoutMs?: number;
  readonly collectionLimit?: number;
}

/** Creates the resolver for YouTube and SoundCloud links. */
export function createMediaResolver(o: MediaResolverOptions): PlatformResolver {
  return {
    async resolve(link: MusicLink, ctx: ResolveContext): Promise<Resolution> {
      if (link.kind === 'video' || link.kind === 'track') {
        return { kind: 'media', url: o.mediaUrl(link.url), platform: link.platform, pageUrl: link.url };
      }
      if (link.kind !== 'playlist' && link.kind !== 'album') {
        throw new MusicError('MUSIC_COLLECTION_UNSUPPORTED', `${link.platform} ${link.kind} links are not supported`, { service: link.platform });
      }
      const limit = o.collectionLimit ?? 10;
      const doc = await ytDlpProbe(o.ytdlp, o.mediaUrl(link.url), { timeoutMs: o.timeoutMs ?? 60_000, signal: ctx.signal, flat: true, limit });
      const items: CollectionItem[] = [];
      for (const raw of arr(doc['entries'])) {
        const e = obj(raw);
        const id = str(e['id']);
        const url = link.platform === 'youtube' ? (id ? `https://www.youtube.com/watch?v=${id}` : undefined) : str(e['url']) ?? str(e['webpage_url']);
        const verdict = url ? parseUrl(url) : undefined;
        const title = str(e['title']);
        if (verdict?.type !== 'link' || !title) continue;
        const durationSec = seconds(e['duration']);
        const artist = str(e['channel']) ?? str(e['uploader']);
        items.push({ link: verdict.link, title, artists: artist ? [artist.replace(/\s+-\s+Topic$/i, '')] : [], ...(durationSec && { durationSec }) });
        if (items.length >= limit) break;
      }
      const total = Number(doc['playlist_count'] ?? items.length);
      return { kind: 'collection', title: str(doc['title']) ?? link.url, items, total: Number.isFinite(total) ? total : items.length };
    },
  };
}
