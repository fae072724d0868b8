/**
 * The optional Odesli (song.link) lookup. Its public API was retired in 2026 and had
 * stopped returning YouTube links before that, so it is only a soft extra for operators who
 * run a compatible service: it may add a candidate or fill in a title, and its failure
 * (off, down, slow, garbage) changes nothing.
 */
import type { Logger } from 'pino';
import { abortReason } from '../errors.ts';
import type { Candidate, CandidateSource } from '../matcher/index.ts';
import { httpGetJson } from '../net/http.ts';
import { obj, str, trimBase } from './settings.ts';

/** Options of {@link createOdesli}. */
export interface OdesliOptions {
  /** `ODESLI_API_URL`, e.g. `https://api.song.link/v1-alpha.1`. */
  readonly apiUrl: string;
  /** `ODESLI_API_KEY`, when the service wants one. Never logged. */
  readonly apiKey?: string;
  /** Budget (default 4000 ms: it must never slow a request down much). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof globalThis.fetch;
  readonly logger?: Logger;
}

/** What Odesli knew. */
export interface OdesliAnswer {
  readonly title?: string;
  readonly artists?: readonly string[];
  readonly coverUrl?: string;
  /** YouTube / YouTube Music / SoundCloud pages of the same song. */
  readonly candidates: readonly Candidate[];
}

/** Looks up other platforms' links of one song. */
export interface Odesli {
  /** Never rejects, except with the cancellation of `signal`. */
  lookup(pageUrl: string, signal: AbortSignal): Promise<OdesliAnswer>;
}

const PLATFORMS: readonly [string, CandidateSource][] = [
  ['youtubeMusic', 'youtube-music'],
  ['youtube', 'youtube'],
  ['soundcloud', 'soundcloud'],
];

/** Creates the Odesli lookup. */
export function createOdesli(o: OdesliOptions): Odesli {
  const base = trimBase(o.apiUrl);
  return {
    async lookup(pageUrl, signal) {
      const query = new URLSearchParams({ url: pageUrl, userCountry: 'US' });
      if (o.apiKey) query.set('key', o.apiKey);
      try {
        const res = await httpGetJson(`${base}/links?${query}`, 'odesli', { timeoutMs: o.timeoutMs ?? 4000, signal, fetch: o.fetch });
        if (res.status !== 200) {
          o.logger?.debug({ status: res.status }, 'odesli answered no links');
          return { candidates: [] };
        }
        return read(obj(res.json));
      } catch (err) {
        if (signal.aborted) throw abortReason(signal);
        o.logger?.debug({ err: { code: (err as { code?: unknown }).code } }, 'odesli lookup failed');
        return { candidates: [] };
      }
    },
  };
}

function read(body: Record<string, unknown>): OdesliAnswer {
  const entities = obj(body['entitiesByUniqueId']);
  const links = obj(body['linksByPlatform']);
  const main = obj(entities[str(body['entityUniqueId']) ?? '']);
  const candidates: Candidate[] = [];
  for (const [key, source] of PLATFORMS) {
    const link = obj(links[key]);
    const url = str(link['url']);
    const entity = obj(entities[str(link['entityUniqueId']) ?? '']);
    const title = str(entity['title']) ?? str(main['title']);
    if (!url || !title || candidates.some((c) => c.url === url)) continue;
    const id = source === 'soundcloud' ? url : (/[?&]v=([A-Za-z0-9_-]{11})/.exec(url)?.[1] ?? str(entity['id']) ?? url);
    candidates.push({ id, title, uploader: str(entity['artistName']) ?? '', source, url });
  }
  const title = str(main['title']);
  const artist = str(main['artistName']);
  const cover = str(main['thumbnailUrl']);
  return {
    ...(title && { title }),
    ...(artist && { artists: artist.split(/, | & /) }),
    ...(cover && { coverUrl: cover }),
    candidates,
  };
}
