import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findUrls } from '../../../src/music/links/findUrls.ts';

const Find = suite('findUrls');
const texts = (s: string) => findUrls(s).map((f) => f.text);

Find('sentence punctuation after a link is not part of it', () => {
  assert.equal(texts('go to https://a.com/x. or https://b.com/y?, fine!'), ['https://a.com/x', 'https://b.com/y']);
});

Find('a closing bracket is kept only when the link opened it', () => {
  assert.equal(texts('(https://en.wikipedia.org/wiki/Song_(band))'), ['https://en.wikipedia.org/wiki/Song_(band)']);
  assert.equal(texts('(https://a.com/x)'), ['https://a.com/x']);
});

Find('angle brackets, quotes and markdown wrappers are not part of a link', () => {
  assert.equal(texts('<https://a.com/x> "https://b.com/y" [t](https://c.com/z) **https://d.com/w**'), [
    'https://a.com/x', 'https://b.com/y', 'https://c.com/z', 'https://d.com/w',
  ]);
});

Find('bare hosts need a path to count as links', () => {
  assert.equal(texts('I like youtube.com and e.g. file.txt but youtu.be/abc'), ['youtu.be/abc']);
});

Find('a bare host never starts inside a longer host', () => {
  assert.equal(texts('notyoutube.com/watch?v=x'), ['notyoutube.com/watch?v=x']);
});

Find('spotify URIs are found as URIs', () => {
  assert.equal(findUrls('x spotify:track:4uLU6hMCjMI75M1A2tKUQC.').map((f) => [f.text, f.form]), [['spotify:track:4uLU6hMCjMI75M1A2tKUQC', 'uri']]);
});

Find('offsets point at the link in the message', () => {
  const msg = 'слушай https://youtu.be/abc';
  const [found] = findUrls(msg);
  assert.is(msg.slice(found!.index, found!.index + found!.text.length), 'https://youtu.be/abc');
});

Find.run();
