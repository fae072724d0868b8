/**
 * Finding a song by its name: the catalogues are asked in parallel within one time budget
 * (a slow or failing catalogue is left out, the others still answer), and their answers are
 * merged into one list, best first, without duplicates.
 *
 * Order: the catalogues' own rankings interleaved (every first hit, then every second…), in
 * the order the catalogues are given, so one catalogue's weak tail never pushes out another's
 * best hit. Duplicates: the same ISRC, else the same artist and title once normalised and
 * transliterated (`matcher/normalize.ts`), so "Кино" and "Kino" are one entry; the first
 * seen stays and lends its missing ISRC or duration from the later ones.
 */
import { comparable, stripFeaturing } from '../matcher/normalize.ts';
import type { CatalogSearch, FoundTrack } from './types.ts';

/** The longest query accepted, in characters. */
export const MAX_QUERY_CHARS = 200;

/** A query checked: `ok` with the text to send, or why it is refused. */
export type QueryVerdict = { readonly kind: 'ok'; readonly query: string } | { readonly kind: 'empty' | 'too-long' };

/**
 * Trims and collapses spaces; refuses a query with no letter or digit (empty, emoji only,
 * punctuation only) and one longer than {@link MAX_QUERY_CHARS}.
 */
export function checkQuery(raw: string): QueryVerdict {
  const query = raw.replace(/\s+/gu, ' ').trim();
  if ([...query].length > MAX_QUERY_CHARS) return { kind: 'too-long' };
  if (!/[\p{L}\p{N}]/u.test(query)) return { kind: 'empty' };
  return { kind: 'ok', query };
}

/** What a search found; `failed` counts catalogues that did not answer in time or at all. */
export interface SearchOutcome {
  readonly tracks: readonly FoundTrack[];
  readonly asked: number;
  readonly failed: number;
}

/** Options of {@link TextSearch}. */
export interface TextSearchOptions {
  readonly sources: readonly CatalogSearch[];
  /** Results kept (default 5). */
  readonly limit?: number;
  /** The whole search's budget (default 1200 ms). */
  readonly budgetMs?: number;
  /** Told about each catalogue that failed (for a debug log line). */
  readonly onSourceFailed?: (name: string, err: unknown) => void;
}

/** The key two entries of different catalogues share when they are the same recording. */
export function sameTrackKey(t: Pick<FoundTrack, 'title' | 'artists'>): string {
  return `${comparable(t.artists[0] ?? '')}|${comparable(stripFeaturing(t.title))}`;
}

/** Interleaves and de-duplicates per-catalogue lists (see the module comment); keeps `limit`. */
export function mergeFound(lists: readonly (readonly FoundTrack[])[], limit: number): FoundTrack[] {
  const out: FoundTrack[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let rank = 0; rank < longest; rank++) {
    for (const list of lists) {
      const t = list[rank];
      if (!t) continue;
      const key = sameTrackKey(t);
      const i = out.findIndex((o) => (o.isrc !== undefined && o.isrc === t.isrc) || sameTrackKey(o) === key);
      if (i === -1) out.push(t);
      else {
        const kept = out[i]!;
        out[i] = { ...kept, ...(kept.isrc === undefined && t.isrc && { isrc: t.isrc }), ...(kept.durationSec === undefined && t.durationSec && { durationSec: t.durationSec }) };
      }
    }
  }
  return out.slice(0, limit);
}

/** See the module comment. */
export class TextSearch {
  readonly #o: TextSearchOptions;
  constructor(o: TextSearchOptions) {
    this.#o = o;
  }

  /** The catalogues asked. */
  get sources(): readonly string[] {
    return this.#o.sources.map((s) => s.name);
  }

  /** Searches every catalogue for `query` (already checked with {@link checkQuery}) for up to `limitOverride` tracks (default the `limit` option, 5). */
  async search(query: string, signal?: AbortSignal, limitOverride?: number): Promise<SearchOutcome> {
    const limit = limitOverride ?? this.#o.limit ?? 5;
    // A referenced timer, unlike AbortSignal.timeout's: the process waits for the budget to end.
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(new Error('text search budget spent')), this.#o.budgetMs ?? 1200);
    const all = signal ? AbortSignal.any([signal, budget.signal]) : budget.signal;
    // Raced against the budget too: a client that ignores its signal still cannot hold the answer back.
    const late = new Promise<never>((_, reject) => {
      if (all.aborted) reject(all.reason);
      else all.addEventListener('abort', () => reject(all.reason), { once: true });
    });
    late.catch(() => undefined);
    const settled = await Promise.allSettled(this.#o.sources.map((s) => Promise.race([s.search(query, limit, all), late])));
    clearTimeout(timer);
    budget.abort(new Error('text search done')); // ends any request still running
    let failed = 0;
    const lists = settled.map((r, i) => {
      if (r.status === 'fulfilled') return r.value;
      failed++;
      this.#o.onSourceFailed?.(this.#o.sources[i]!.name, r.reason);
      return [];
    });
    return { tracks: mergeFound(lists, limit), asked: this.#o.sources.length, failed };
  }
}
