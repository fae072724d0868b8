import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodePath, MAX_QUERY_PARAMS, parseQuery } from '../../src/http/query.ts';

const Query = suite('strict query decoding');

Query('decodes escapes and plus signs, keeps repeated names and bare names', () => {
  const q = parseQuery('state=a%2Fb&code=x+y&flag&state=two&&empty=');
  assert.equal(q.getAll('state'), ['a/b', 'two']);
  assert.is(q.get('code'), 'x y');
  assert.is(q.get('flag'), '');
  assert.is(q.get('empty'), '');
  assert.equal([...parseQuery('')], []);
});

Query('decodes UTF-8 escapes', () => {
  assert.is(parseQuery('name=%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82').get('name'), 'привет');
});

Query('broken escapes and invalid UTF-8 are errors, not U+FFFD', () => {
  for (const raw of ['state=%E0%A4%A', 'a=%', 'a=%G0', '%ZZ=1', 'a=%C0%80', 'a=%ED%A0%80', 'a=%FF']) {
    assert.throws(
      () => parseQuery(raw),
      (err: Error & { code?: string }) => err.code === 'HTTP_MALFORMED_TARGET' && !err.message.includes(raw),
      raw,
    );
  }
});

Query('too many parameters is an error', () => {
  assert.is([...parseQuery(Array.from({ length: MAX_QUERY_PARAMS }, (_, i) => `p${i}=1`).join('&'))].length, MAX_QUERY_PARAMS);
  assert.throws(() => parseQuery(Array.from({ length: MAX_QUERY_PARAMS + 1 }, (_, i) => `p${i}=1`).join('&')));
});

Query('paths decode escapes but keep plus signs, and refuse broken escapes', () => {
  assert.is(decodePath('/a%20b+c'), '/a b+c');
  assert.is(decodePath('/plain'), '/plain');
  assert.throws(() => decodePath('/%E0%A4%A'));
});

Query.run();
