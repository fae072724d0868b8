import type { Candidate } from './types.ts';

/**
 * The identity of an upload across searches: YouTube and YouTube Music share video ids
 * (a Topic song is found by both), other sources are told apart by their URL.
 */
export function candidateIdentity(c: Candidate): string {
  return c.source === 'soundcloud' ? `sc:${c.url}` : `yt:${c.id}`;
}

const filled = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/**
 * `a` with every field it lacks taken from `b` (same upload). YouTube Music's song search
 * gives a bare entry (id and title only) while `ytsearch` and `-J` give channel, length and
 * views, so the merge keeps the richest picture; the source stays `youtube-music` when
 * either said so (the upload is in YouTube Music's Songs section).
 */
export function mergeCandidate(a: Candidate, b: Candidate): Candidate {
  const artists = a.artists && a.artists.length > 0 ? a.artists : b.artists;
  const durationSec = a.durationSec ?? b.durationSec;
  const views = a.views ?? b.views;
  const isrc = a.isrc ?? b.isrc;
  return {
    id: a.id,
    title: filled(a.title) ? a.title : b.title,
    uploader: filled(a.uploader) ? a.uploader : b.uploader,
    ...(artists && artists.length > 0 && { artists }),
    ...(durationSec !== undefined && { durationSec }),
    ...(isrc !== undefined && { isrc }),
    source: a.source === 'youtube-music' || b.source === 'youtube-music' ? 'youtube-music' : a.source,
    url: a.url,
    ...(views !== undefined && { views }),
  };
}

/** Candidates of the same upload merged into one (first position, richest fields), order kept. */
export function mergeCandidates(candidates: readonly Candidate[]): Candidate[] {
  const byKey = new Map<string, number>();
  const out: Candidate[] = [];
  for (const c of candidates) {
    const key = candidateIdentity(c);
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, out.length);
      out.push(c);
    } else {
      out[at] = mergeCandidate(out[at]!, c);
    }
  }
  return out;
}
