import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decide } from '../../../src/music/matcher/decide.ts';
import { MATCH_THRESHOLDS, pickBest, rankCandidates } from '../../../src/music/matcher/pickBest.ts';
import type { Candidate, MatchResult } from '../../../src/music/matcher/types.ts';
import { WESTERN_CASES } from './cases/western.ts';
import { NON_LATIN_CASES } from './cases/nonLatin.ts';
import { TRAP_CASES } from './cases/traps.ts';
import { BARE_TWINS, REAL_SHAPED_CASES } from './cases/realShaped.ts';
import { yt, ytm, type MatchCase } from './cases/caseKit.ts';

const CASES: readonly MatchCase[] = [...WESTERN_CASES, ...NON_LATIN_CASES, ...TRAP_CASES, ...BARE_TWINS, ...REAL_SHAPED_CASES];
const isRealShaped = (c: MatchCase) => c.candidates.some((x) => x.source === 'youtube-music' && x.uploader === '' && x.durationSec === undefined);

/** The verdict as `findMatch` reaches it: rich cases judged once, real-shaped ones decide → describe (`-J` facts) → decide. */
async function verdictOf(c: MatchCase): Promise<MatchResult> {
  const facts = c.facts;
  if (!facts) return pickBest(c.original, c.candidates);
  return decide(c.original, c.candidates, async (asked: readonly Candidate[]) => asked.flatMap((x) => (facts[x.id] ? [facts[x.id]!] : [])));
}

function describe(result: MatchResult): string {
  if (result.kind === 'match') return `match ${result.candidate.id} (${result.score})`;
  if (result.kind === 'ambiguous') return `ambiguous [${result.top.map((c, i) => `${c.id} ${result.scores[i]}`).join(', ')}]`;
  return `none (${result.reason})`;
}

function isRight(c: MatchCase, result: MatchResult): boolean {
  if (c.good.length === 0) return result.kind !== 'match';
  return result.kind === 'match' && c.good.includes(result.candidate.id);
}

const Table = suite('pickBest: realistic search results');

Table('the table has at least 80 cases, half real-shaped, with Russian, Japanese and Korean ones', () => {
  assert.ok(CASES.length >= 80, `only ${CASES.length}`);
  const real = CASES.filter(isRealShaped);
  assert.ok(real.length * 2 >= CASES.length, `only ${real.length} of ${CASES.length} real-shaped`);
  for (const set of [CASES, real]) {
    const titles = set.map((c) => c.original.title).join(' ');
    assert.match(titles, /[\u0400-\u04FF]/);
    assert.match(titles, /[\u3040-\u30FF\u4E00-\u9FFF]/);
    assert.match(titles, /[\uAC00-\uD7AF]/);
  }
});

Table('the right upload is picked in at least 95% of cases, and the rest ask instead of picking a wrong one', async () => {
  const misses: string[] = [];
  const wrong: string[] = [];
  for (const c of CASES) {
    const result = await verdictOf(c);
    if (isRight(c, result)) continue;
    if (result.kind === 'match') wrong.push(`${c.name}: ${describe(result)}`);
    const ranked = rankCandidates(c.original, c.candidates)
      .map((s) => `    ${s.score.toFixed(1)} ${s.candidate.id} ${JSON.stringify(s.breakdown)}`)
      .join('\n');
    misses.push(`  ${c.name}: got ${describe(result)}, want ${c.good.join('|') || 'no match'}\n${ranked}`);
  }
  if (misses.length > 0) console.log(`matcher misses (${misses.length}/${CASES.length}):\n${misses.join('\n')}`);
  const accuracy = (CASES.length - misses.length) / CASES.length;
  assert.ok(accuracy >= 0.95, `accuracy ${(accuracy * 100).toFixed(1)}%`);
  assert.equal(wrong, [], 'a miss must be a question, not a wrong upload');
});

for (const c of CASES) {
  Table(`${c.name}: no altered version is picked`, async () => {
    const result = await verdictOf(c);
    if (result.kind === 'match') assert.not.ok(c.bad.includes(result.candidate.id), `picked ${describe(result)}`);
  });
}

Table.run();

const Outcomes = suite('pickBest: outcomes');
const original = { title: 'Blinding Lights', artists: ['The Weeknd'], durationSec: 200 };

Outcomes('no candidates gives none/no-candidates', () => {
  assert.equal(pickBest(original, []), { kind: 'none', reason: 'no-candidates' });
});

Outcomes('every candidate far off in duration gives none/duration-mismatch', () => {
  const result = pickBest(original, [yt('a', 'The Weeknd - Blinding Lights', 'x', 263), ytm('b', 'Blinding Lights', 'The Weeknd - Topic', 150)]);
  assert.equal(result, { kind: 'none', reason: 'duration-mismatch' });
});

Outcomes('only unrelated results give none/low-score', () => {
  const result = pickBest(original, [yt('a', 'Cooking pasta at home', 'Chef', 200), yt('b', 'Weather report', 'TV', 199)]);
  assert.equal(result, { kind: 'none', reason: 'low-score' });
});

Outcomes('plausible but uncertain results offer at most three choices, best first', () => {
  const result = pickBest(original, [
    yt('remix', 'The Weeknd - Blinding Lights (Remix)', 'x', 201),
    yt('halsey', 'Blinding Lights', 'Halsey - Topic', 200),
    yt('live', 'The Weeknd - Blinding Lights (Live)', 'x', 205),
    yt('cover', 'Blinding Lights (cover)', 'x', 199),
    yt('sped', 'Blinding Lights sped up', 'x', 190),
  ]);
  assert.is(result.kind, 'ambiguous');
  if (result.kind !== 'ambiguous') return;
  assert.ok(result.top.length >= 1 && result.top.length <= MATCH_THRESHOLDS.shortList);
  assert.equal(result.top.length, result.scores.length);
  assert.equal([...result.scores], [...result.scores].sort((a, b) => b - a));
  assert.ok(result.scores.every((s) => s >= MATCH_THRESHOLDS.listFloor));
});

Outcomes('an altered version alone is offered as a choice, never matched', () => {
  const result = pickBest(original, [yt('remix', 'The Weeknd - Blinding Lights (Remix)', 'The Weeknd', 201, { views: 10_000_000 })]);
  assert.is(result.kind, 'ambiguous');
});

Outcomes('a right title by another artist is not a confident match', () => {
  const result = pickBest(original, [ytm('x', 'Blinding Lights', 'Someone Else - Topic', 200, { artists: ['Someone Else'] })]);
  assert.is.not(result.kind, 'match');
});

Outcomes('an ISRC hit is matched even with no duration on the candidate', () => {
  const withIsrc = { ...original, isrc: 'USUG11904206' };
  const result = pickBest(withIsrc, [yt('a', 'The Weeknd - Blinding Lights', 'x', 200), ytm('b', 'Blinding Lights', 'label', undefined, { isrc: 'USUG11904206' })]);
  assert.is(result.kind === 'match' && result.candidate.id, 'b');
});

Outcomes('a match reports its score and breakdown', () => {
  const result = pickBest(original, [ytm('t', 'Blinding Lights', 'The Weeknd - Topic', 200)]);
  assert.is(result.kind, 'match');
  if (result.kind !== 'match') return;
  assert.ok(result.score >= MATCH_THRESHOLDS.matchScore);
  assert.equal(result.breakdown.variants, []);
});

Outcomes('equal scores keep the search order', () => {
  const a = yt('a', 'The Weeknd - Blinding Lights', 'uploader one', 200);
  const b = yt('b', 'The Weeknd - Blinding Lights', 'uploader two', 200);
  assert.equal(rankCandidates(original, [a, b]).map((s) => s.candidate.id), ['a', 'b']);
  assert.equal(rankCandidates(original, [b, a]).map((s) => s.candidate.id), ['b', 'a']);
});

Outcomes.run();
