/**
 * Merging the same upload across searches, and the decide → describe → decide flow.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decide, DESCRIBE_LIMIT } from '../../../src/music/matcher/decide.ts';
import { mergeCandidates } from '../../../src/music/matcher/merge.ts';
import { pickBest } from '../../../src/music/matcher/pickBest.ts';
import type { Candidate } from '../../../src/music/matcher/types.ts';
import { bare, info, yt, ytm } from './cases/caseKit.ts';

const original = { title: 'Afterglow', artists: ['Kestrel'], durationSec: 201 };
const D = suite('decide and merge');

D('a Topic song found bare by YouTube Music and rich by ytsearch is one candidate with all fields', () => {
  const merged = mergeCandidates([bare('t', 'Afterglow'), yt('v', 'Kestrel - Afterglow (Official Video)', 'Kestrel', 236), yt('t', 'Afterglow', 'Kestrel - Topic', 201, { views: 5 })]);
  assert.equal(merged.map((c) => [c.id, c.title, c.uploader, c.durationSec, c.source, c.views]), [
    ['t', 'Afterglow', 'Kestrel - Topic', 201, 'youtube-music', 5],
    ['v', 'Kestrel - Afterglow (Official Video)', 'Kestrel', 236, 'youtube', undefined],
  ]);
});

D('issue 15: a candidate of unknown length never beats one whose length fits', () => {
  // Before: the Topic-looking entry without a length scored 98 on title and artist alone and won.
  const unknown = ytm('ext', 'Afterglow', 'Kestrel - Topic', undefined, { artists: ['Kestrel'] });
  const fits = yt('fit', 'Kestrel - Afterglow (Lyrics)', 'lyrics channel', 202);
  const verdict = pickBest(original, [unknown, fits]);
  assert.is(verdict.kind === 'match' && verdict.candidate.id, 'fit');
});

D('bare leaders are described once, at most DESCRIBE_LIMIT of them, then judged again', async () => {
  const asked: string[][] = [];
  const candidates = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => bare(id, 'Afterglow'));
  const verdict = await decide(original, candidates, async (cs) => {
    asked.push(cs.map((c) => c.id));
    return cs.map((c) => info(c.id, c.title, c.id === 'c' ? 'Kestrel - Topic' : 'Covers - Topic', c.id === 'c' ? 201 : 190, { artists: [c.id === 'c' ? 'Kestrel' : 'Covers'] }));
  });
  assert.is(asked.length, 1);
  assert.is(asked[0]!.length, DESCRIBE_LIMIT);
  assert.is(verdict.kind === 'match' && verdict.candidate.id, 'c');
  assert.is(verdict.kind === 'match' && verdict.candidate.durationSec, 201);
});

D('no describe when the first verdict is already a Topic song', async () => {
  let calls = 0;
  const verdict = await decide(original, [ytm('t', 'Afterglow', 'Kestrel - Topic', 201), bare('x', 'Afterglow')], async () => {
    calls++;
    return [];
  });
  assert.is(verdict.kind, 'match');
  assert.is(calls, 0);
});

D('a failed describe leaves the first verdict; an aborted one rejects', async () => {
  const only: Candidate[] = [bare('a', 'Afterglow')];
  const failed = await decide(original, only, async () => {
    throw new Error('yt-dlp failed');
  });
  assert.is.not(failed.kind, 'match');
  const ac = new AbortController();
  ac.abort(new Error('cancelled'));
  const err = await decide(original, only, async () => {
    throw new Error('killed');
  }, { signal: ac.signal }).catch((e: unknown) => e);
  assert.is((err as Error).message, 'cancelled');
});

D('described candidates over maxSeconds are dropped', async () => {
  const long = { title: 'Mix', artists: ['DJ'], durationSec: undefined };
  const verdict = await decide(long, [bare('m', 'Mix')], async () => [info('m', 'Mix', 'DJ - Topic', 4000, { artists: ['DJ'] })], { maxSeconds: 1200 });
  assert.equal(verdict, { kind: 'none', reason: 'no-candidates' });
});

D.run();
