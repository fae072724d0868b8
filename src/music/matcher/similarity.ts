/**
 * String similarity, 0..100, in the manner of fuzzywuzzy/rapidfuzz (which spotDL uses),
 * written here to keep the dependency list short. All functions work on Unicode code
 * points, so CJK, Cyrillic and emoji count one character each.
 */

/** Levenshtein edit distance between `a` and `b` (insert, delete, substitute cost 1). */
export function levenshtein(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = Array.from({ length: t.length + 1 }, (_, i) => i);
  let cur = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length]!;
}

/** Normalised Levenshtein similarity: 100 for equal strings, 0 for nothing in common. */
export function ratio(a: string, b: string): number {
  const len = Math.max(Array.from(a).length, Array.from(b).length);
  if (len === 0) return 100;
  return 100 * (1 - levenshtein(a, b) / len);
}

function tokens(s: string): string[] {
  return s.split(' ').filter((t) => t.length > 0);
}

/** {@link ratio} after sorting the words: word order does not matter. */
export function tokenSortRatio(a: string, b: string): number {
  return ratio(tokens(a).sort().join(' '), tokens(b).sort().join(' '));
}

/**
 * Token-set ratio: compares the shared words with each side's full word set, so a string
 * whose words all appear in the other scores 100 ("blinding lights" vs
 * "blinding lights the weeknd"). Extra words are judged elsewhere (version penalties).
 */
export function tokenSetRatio(a: string, b: string): number {
  const setA = new Set(tokens(a));
  const setB = new Set(tokens(b));
  if (setA.size === 0 || setB.size === 0) return setA.size === setB.size ? 100 : 0;
  const common = [...setA].filter((t) => setB.has(t)).sort();
  const onlyA = [...setA].filter((t) => !setB.has(t)).sort();
  const onlyB = [...setB].filter((t) => !setA.has(t)).sort();
  const t0 = common.join(' ');
  const t1 = [...common, ...onlyA].join(' ');
  const t2 = [...common, ...onlyB].join(' ');
  if (t0.length === 0) return ratio(t1, t2);
  return Math.max(ratio(t0, t1), ratio(t0, t2), ratio(t1, t2));
}

/**
 * Directional token-set ratio: how much of `original` the `candidate` covers. Like
 * {@link tokenSetRatio}, but a candidate whose words are a *subset* of the original's does
 * not score 100 ("lanterns" does not cover "paper lanterns over tallinn"), while a
 * candidate with extra words around the whole original does ("kino gruppa krovi 1988"
 * covers "gruppa krovi").
 */
export function tokenCoverageRatio(original: string, candidate: string): number {
  const setO = new Set(tokens(original));
  const setC = new Set(tokens(candidate));
  if (setO.size === 0 || setC.size === 0) return setO.size === setC.size ? 100 : 0;
  const common = [...setO].filter((t) => setC.has(t)).sort();
  const t0 = common.join(' ');
  const t1 = [...common, ...[...setO].filter((t) => !setC.has(t)).sort()].join(' ');
  const t2 = [...common, ...[...setC].filter((t) => !setO.has(t)).sort()].join(' ');
  return Math.max(t0.length > 0 ? ratio(t0, t1) : 0, ratio(t1, t2));
}

/**
 * The matcher's title similarity of a candidate to the original: mostly coverage (extra
 * words in the candidate cost little, missing words of the original cost a lot), partly
 * token-sort (so a candidate with many unrelated extra words still loses a little).
 */
export function textSimilarity(original: string, candidate: string): number {
  if (original === candidate) return 100;
  return 0.6 * tokenCoverageRatio(original, candidate) + 0.4 * tokenSortRatio(original, candidate);
}
