import type { OriginalTrack } from './types.ts';
import { comparable, normalize, stripFeaturing } from './normalize.ts';
import { remixQualifiers, wordPattern } from './variantWords.ts';

/** The original track in the forms the scorer compares, computed once per track. */
export interface PreparedOriginal {
  /** Title without featuring clauses, {@link comparable} form. */
  readonly title: string;
  /**
   * The title before a ` - ` suffix (`Levels - Radio Edit` → `levels`), when there is one:
   * uploads often drop such notes. Matched with a small discount.
   */
  readonly titleMain: string | undefined;
  /** Remixer names the candidate must also name (see `remixQualifiers`), comparable form. */
  readonly remixQualifiers: readonly string[];
  /** Artists in {@link comparable} form (empty names dropped). */
  readonly artists: readonly string[];
  /** Artists in {@link normalize} form, for removing them from version-word texts. */
  readonly artistsNormalized: readonly string[];
  /** Title and album, normalised, artists removed: the baseline for version words. */
  readonly variantBase: string;
  /** Title alone, normalised, artists removed: version words a candidate must also have. */
  readonly variantTitle: string;
  readonly durationSec: number | undefined;
  readonly isrc: string | undefined;
  readonly explicit: boolean;
}

const cache = new WeakMap<OriginalTrack, PreparedOriginal>();

/** Prepares (and caches per object) an original track for scoring. */
export function prepareOriginal(original: OriginalTrack): PreparedOriginal {
  const hit = cache.get(original);
  if (hit) return hit;
  const artistsNormalized = original.artists.map(normalize).filter((a) => a.length > 0);
  const prepared: PreparedOriginal = {
    title: comparable(stripFeaturing(original.title)),
    titleMain: mainPart(original.title),
    remixQualifiers: remixQualifiers(original.title, comparable),
    artists: original.artists.map(comparable).filter((a) => a.length > 0),
    artistsNormalized,
    variantBase: removePhrases(normalize(`${original.title} ${original.album ?? ''}`), artistsNormalized),
    variantTitle: removePhrases(normalize(original.title), artistsNormalized),
    durationSec: validDuration(original.durationSec),
    isrc: normalizeIsrc(original.isrc),
    explicit: original.explicit === true,
  };
  cache.set(original, prepared);
  return prepared;
}

function mainPart(title: string): string | undefined {
  const parts = stripFeaturing(title).split(/\s[-–—]\s/u);
  if (parts.length < 2 || !parts[0]) return undefined;
  const main = comparable(parts[0]);
  return main.length > 0 ? main : undefined;
}

/** A duration worth comparing: finite and positive, else unknown. */
export function validDuration(sec: number | undefined): number | undefined {
  return sec !== undefined && Number.isFinite(sec) && sec > 0 ? sec : undefined;
}

/** ISRC in its 12-character form (`GB-AHT-20-00942` → `GBAHT2000942`), or undefined. */
export function normalizeIsrc(isrc: string | undefined): string | undefined {
  const s = isrc?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return s && /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(s) ? s : undefined;
}

/** True when `phrase` occurs in `text` (whole words for Latin, substring for other scripts). */
export function containsPhrase(text: string, phrase: string): boolean {
  if (phrase.length === 0) return false;
  if (/^[\x20-\x7e]+$/.test(phrase)) return text.match(wordPattern(phrase)) !== null;
  return text.includes(phrase);
}

/** `text` with every occurrence of each phrase removed, spaces collapsed. */
export function removePhrases(text: string, phrases: readonly string[]): string {
  let out = text;
  for (const p of [...phrases].sort((a, b) => b.length - a.length)) {
    if (p.length === 0) continue;
    out = /^[\x20-\x7e]+$/.test(p)
      ? out.replace(wordPattern(p), ' ')
      : out.split(p).join(' ');
  }
  return out.replace(/\s+/g, ' ').trim();
}
