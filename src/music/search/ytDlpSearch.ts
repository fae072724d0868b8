/**
 * The production {@link SearchSource}: YouTube Music's song search
 * (`music.youtube.com/search?q=…#songs`) and YouTube's (`ytsearchN:`), optionally
 * SoundCloud's (`scsearchN:`), all in one yt-dlp process with `--flat-playlist` (one
 * start-up instead of one per query; flat entries need no extra page per result) and
 * `-I 1:<limit>` (without an item limit a search keeps fetching continuation pages).
 *
 * What the entries carry (yt-dlp source, see `test/contracts/ytDlpSearch.ts`):
 * - YouTube Music songs (`_tab.py` `_music_reponsive_list_entry`): `id`, `url`
 *   (`music.youtube.com/watch?v=…`), `title` (the song title without the artist; absent
 *   before yt-dlp 2024) and nothing else: no length, channel, artists or views.
 * - `ytsearchN:` (`_tab.py` `_extract_video`): also `duration`, `channel`, `uploader`,
 *   `view_count`.
 * The same video found by several searches becomes one candidate with the richest fields;
 * {@link SearchSource.describe} fills in the rest with one `yt-dlp -J` over watch URLs.
 */
import { mergeCandidates, type Candidate, type CandidateSource } from '../matcher/index.ts';
import { ytDlpSearchMany, type YtDlpSettings } from '../tools/ytDlp.ts';
import type { SearchOptions, SearchSource } from './searchSource.ts';

/** Options of {@link createYtDlpSearch}. */
export interface YtDlpSearchOptions {
  readonly ytdlp: YtDlpSettings;
  /** Where to search, in order (default YouTube Music, then YouTube). */
  readonly sources?: readonly CandidateSource[];
  /** Budget of the whole search run (default 60 s). */
  readonly timeoutMs?: number;
  /** Budget of one describe run (default 30 s). */
  readonly describeTimeoutMs?: number;
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
const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

/** The credits of an info document: `artists` (yt-dlp ≥ 2024), else `artist` (`A, B`). */
function artistsOf(entry: Record<string, unknown>): string[] | undefined {
  const list = Array.isArray(entry['artists']) ? entry['artists'].filter((a): a is string => typeof a === 'string' && a.trim() !== '') : [];
  if (list.length > 0) return list;
  const joined = str(entry['artist']);
  return joined ? joined.split(', ').map((a) => a.trim()).filter(Boolean) : undefined;
}

/**
 * One search entry or info document as a {@link Candidate}; undefined for channels,
 * playlists and junk. YouTube entries get the canonical `https://www.youtube.com/watch?v=`
 * URL whichever host found them (the pipeline's cache key and media URL are built from it).
 * A YouTube Music entry without a title (yt-dlp before 2024) keeps an empty one.
 */
export function candidateFromEntry(entry: Record<string, unknown>, source: CandidateSource): Candidate | undefined {
  const id = str(entry['id']);
  const title = str(entry['title']) ?? str(entry['track']);
  const isYoutube = source !== 'soundcloud';
  if (!id || (!title && source !== 'youtube-music')) return undefined;
  // Channels and playlists also turn up in searches (ie_key YoutubeTab): keep videos only.
  const ieKey = str(entry['ie_key']);
  if (isYoutube && (!VIDEO_ID.test(id) || (ieKey !== undefined && ieKey !== 'Youtube'))) return undefined;
  const url = isYoutube ? `https://www.youtube.com/watch?v=${id}` : str(entry['webpage_url']) ?? str(entry['url']);
  if (!url) return undefined;
  const artists = artistsOf(entry);
  const duration = num(entry['duration']);
  const views = num(entry['view_count']);
  return {
    id,
    title: title ?? '',
    uploader: str(entry['channel']) ?? str(entry['uploader']) ?? '',
    ...(artists && { artists }),
    ...(duration && { durationSec: Math.round(duration) }),
    source,
    url,
    ...(views && { views }),
  };
}

/** Which source a search document answers: matched by its URL (failed searches print nothing). */
function sourceOf(doc: Record<string, unknown>, plan: readonly { source: CandidateSource; url: string }[]): CandidateSource | undefined {
  return plan.find((p) => p.url === doc['original_url'] || p.url === doc['webpage_url'])?.source;
}

/** Creates the yt-dlp search source. */
export function createYtDlpSearch(o: YtDlpSearchOptions): SearchSource {
  const sources = o.sources ?? ['youtube-music', 'youtube'];
  return {
    async search(queries: readonly string[], options: SearchOptions): Promise<Candidate[]> {
      const plan = queries.flatMap((q) => sources.map((s) => ({ source: s, url: searchUrl(s, q, options.limit) })));
      if (plan.length === 0) return [];
      const docs = await ytDlpSearchMany(o.ytdlp, plan.map((p) => p.url), {
        timeoutMs: o.timeoutMs ?? 60_000,
        signal: options.signal,
        items: options.limit,
      });
      const found: Candidate[] = [];
      for (const doc of docs) {
        const source = sourceOf(doc, plan);
        if (!source) continue;
        const entries = Array.isArray(doc['entries']) ? doc['entries'] : [];
        for (const raw of entries.slice(0, options.limit)) {
          const c = raw !== null && typeof raw === 'object' ? candidateFromEntry(raw as Record<string, unknown>, source) : undefined;
          if (c) found.push(c);
        }
      }
      return mergeCandidates(found);
    },

    /** One `yt-dlp -J` over the candidates' watch URLs (no download): length, channel, credits. */
    async describe(candidates: readonly Candidate[], options: { readonly signal: AbortSignal }): Promise<Candidate[]> {
      if (candidates.length === 0) return [];
      const docs = await ytDlpSearchMany(o.ytdlp, candidates.map((c) => c.url), { timeoutMs: o.describeTimeoutMs ?? 30_000, signal: options.signal });
      const out: Candidate[] = [];
      for (const doc of docs) {
        const asked = candidates.find((c) => c.id === str(doc['id']));
        const described = asked && candidateFromEntry(doc, asked.source === 'soundcloud' ? 'soundcloud' : 'youtube');
        if (asked && described) out.push({ ...described, id: asked.id, source: asked.source, url: asked.url });
      }
      return out;
    },
  };
}
