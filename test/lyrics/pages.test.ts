/**
 * Cutting lyrics into Telegram-sized pages: whole lines per page, stanza breaks kept inside a
 * page but never at its top, and a line longer than a page cut without splitting an emoji.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { splitLines } from '../../src/lyrics/pages.ts';

const P = suite('lyrics pages');

P('short text is one page, unchanged', () => {
  assert.equal(splitLines('a\n\nb', 100), ['a\n\nb']);
});

P('lines are never split across pages, and a page starts with words, not a blank line', () => {
  assert.equal(splitLines('aaa\nbbb\n\nccc\nddd', 7), ['aaa\nbbb', 'ccc\nddd']);
});

P('a line longer than a page is cut at the limit, never inside an emoji', () => {
  const pages = splitLines(`ab🎤cd\nx`, 3);
  assert.equal(pages, ['ab', '🎤c', 'd\nx']);
  for (const page of pages) assert.ok(page.length <= 3);
});

P.run();
