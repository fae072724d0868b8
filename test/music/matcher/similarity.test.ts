import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { levenshtein, ratio, textSimilarity, tokenCoverageRatio, tokenSetRatio, tokenSortRatio } from '../../../src/music/matcher/similarity.ts';

const Similarity = suite('similarity');

Similarity('levenshtein counts edits per character, CJK included', () => {
  assert.is(levenshtein('kitten', 'sitting'), 3);
  assert.is(levenshtein('', 'abc'), 3);
  assert.is(levenshtein('夜に駆ける', '夜に駆けた'), 1);
  assert.is(levenshtein('😀a', '😀b'), 1);
});

Similarity('ratio is 100 for equal strings and falls with edits', () => {
  assert.is(ratio('abc', 'abc'), 100);
  assert.is(ratio('', ''), 100);
  assert.is(ratio('abcd', 'abcx'), 75);
  assert.is(ratio('abc', 'xyz'), 0);
});

Similarity('word order does not matter to token-sort', () => {
  assert.is(tokenSortRatio('lights blinding', 'blinding lights'), 100);
});

Similarity('token-set forgives extra words on either side', () => {
  assert.is(tokenSetRatio('blinding lights', 'blinding lights the weeknd'), 100);
  assert.is(tokenSetRatio('lanterns', 'paper lanterns over tallinn'), 100);
});

Similarity('coverage forgives extra words in the candidate only', () => {
  assert.is(tokenCoverageRatio('gruppa krovi', 'kino gruppa krovi 1988'), 100);
  assert.ok(tokenCoverageRatio('paper lanterns over tallinn', 'lanterns') < 50);
});

Similarity('textSimilarity ranks the closer title higher', () => {
  assert.is(textSimilarity('hello', 'hello'), 100);
  assert.ok(textSimilarity('hello', 'hello adele') > textSimilarity('hello', 'goodbye adele'));
  assert.ok(textSimilarity('zemfira hochesh', 'zemfira khochesh') > 80);
});

Similarity.run();
