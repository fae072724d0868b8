/**
 * The production {@link SearchSource}: YouTube Music's song search
 * (`music.youtube.com/search?q=…#songs`) and YouTube's (`ytsearchN:`), optionally
 * SoundCloud's (`scsearchN:`), all in one yt-dlp process with `--flat-playlist` (one
 * start-up instead of one per query; flat entries need no extra page per result).
 */
import type { Candidate, CandidateSource } from '../matcher/index.ts';
import { ytDlpSearchMany, type YtDlpSettings } from '../tools/ytDlp.ts';
import type { SearchOptions, SearchSource } from './searchSource.ts';

/** Options of {@link createYtDlpSearch}. */
export interface YtDlpSearchOptions {
  readonly ytdlp: YtDlpSettings;
  /** Where to search, in order (default YouTube Music, then YouTube). */
  readonly sources?: readonly CandidateSource[];
  /** Budget of the whole search run (default 60 s). */
  readonly timeoutMs?: number;
}

function searchUrl(source: CandidateSource, query: string, limit: number): string {
  switch (source) {
    case 'youtube-music':
      return `https://music.youtube.com/search?q=${encodeURIComponent(query)}#songs`;
    case 'youtube':
      return `ytsearch${limit}:${query}`;
    case 'soundcloud':
      return `scsearch${limit}:${query}`;
  }
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/** One flat search entry as a {@link Candidate}; undefined for channels, playlists and junk. */
export function candidateFromEntry(entry: Record<string, unknown>, source: CandidateSource): Candidate | undefined {
  const id = str(entry['id']);
  const title = str(entry['title']);
  if (!id || !title) return undefined;
  const isYoutube = source !== 'soundcloud';
  // Channels and playlists also turn up in searches: keep videos only.
  const ieKey = str(entry['ie_key']);
  if (isYoutube && (!/^[A-Za-z0-9_-]{11}$/.test(id) || (ieKey !== undefined && ieKey !== 'Youtube'))) return undefined;
  const url = isYoutube ? `https://www.youtube.com/watch?v=${id}` : str(entry['webpage_url']) ?? str(entry['url']);
  if (!url) return undefined;
  const artists = Array.isArray(entry['artists']) ? entry['artists'].filter((a): a is string => typeof a === 'string') : undefined;
  const duration = num(entry['duration']);
  const views = num(entry['view_count']);
  return {
    id,
    title,
    uploader: str(entry['channel']) ?? str(entry['uploader']) ?? str(entry['artist']) ?? '',
    ...(artists && artists.length > 0 && { artists }),
    ...(duration && { durationSec: Math.round(duration) }),
    source,
    url,
    ...(views && { views }),
  };
}

/** Creates the yt-dlp search source. */
export function createYtDlpSearch(o: YtDlpSearchOptions): SearchSource {
  const sources = o.sources ?? ['youtube-music', 'youtube'];
  return {
    async search(queries: readonly string[], options: SearchOptions): Promise<Candidate[]> {
      const plan = queries.flatMap((q) => sources.map((s) => ({ source: s, url: searchUrl(s, q, options.limit) })));
      if (plan.length === 0) return [];
      const docs = await ytDlpSearchMany(o.ytdlp, plan.map((p) => p.url), { timeoutMs: o.timeoutMs ?? 60_000, signal: options.signal });
      const seen = new Set<string>();
      const out: Candidate[] = [];
      docs.forEach((doc, i) => {
        // Failed searches print nothing, so documents are matched to the plan by their URL.
        const source = plan.find((p) => p.url === doc['original_url'] || p.url === doc['webpage_url'])?.source ?? plan[i]?.source ?? 'youtube';
        const entries = Array.isArray(doc['entries']) ? doc['entries'] : [];
        for (const raw of entries.slice(0, options.limit)) {
          const c = raw !== null && typeof raw === 'object' ? candidateFromEntry(raw as Record<string, unknown>, source) : undefined;
          if (c && !seen.has(c.url)) {
            seen.add(c.url);
            out.push(c);
          }
        }
      });
      return out;
    },
  };
}
