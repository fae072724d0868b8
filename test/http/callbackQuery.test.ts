import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCallbackQuery } from '../../src/http/callbackQuery.ts';

const Callback = suite('callback query validation');
const STATE = 'Zm9vYmFyYmF6cXV4cXV1eA';
const parse = (q: string) => parseCallbackQuery(new URLSearchParams(q));

Callback('an approval gives state and code', () => {
  assert.equal(parse(`code=AQB-x_y.z~1&state=${STATE}`), { ok: true, input: { state: STATE, code: 'AQB-x_y.z~1' } });
});

Callback('a cancel gives state and error', () => {
  assert.equal(parse(`error=access_denied&state=${STATE}`), { ok: true, input: { state: STATE, error: 'access_denied' } });
});

Callback('unrelated parameters are ignored', () => {
  assert.ok(parse(`code=c&state=${STATE}&utm_source=x`).ok);
});

const refusals: Array<[string, string]> = [
  ['code=c', 'state'],
  [`state=${STATE}`, 'codeAndError'],
  [`state=${STATE}&code=c&error=access_denied`, 'codeAndError'],
  [`state=${STATE}&state=${STATE}&code=c`, 'duplicate'],
  [`state=${STATE}&code=c&code=d`, 'duplicate'],
  [`state=${'a'.repeat(15)}&code=c`, 'state'],
  [`state=${'a'.repeat(257)}&code=c`, 'state'],
  [`state=${STATE}!&code=c`, 'state'],
  [`state=${STATE}%C3%A9&code=c`, 'state'],
  [`state=${STATE}&code=`, 'code'],
  [`state=${STATE}&code=${'c'.repeat(1025)}`, 'code'],
  [`state=${STATE}&code=a%20b`, 'code'],
  [`state=${STATE}&code=a%00b`, 'code'],
  [`state=${STATE}&error=`, 'error'],
  [`state=${STATE}&error=${'e'.repeat(129)}`, 'error'],
  [`state=${STATE}&error=a%22b`, 'error'],
  [`state=${STATE}&error=a%0Ab`, 'error'],
];

for (const [query, reason] of refusals) {
  Callback(`refuses "${query.slice(0, 60)}" (${reason})`, () => {
    assert.equal(parse(query), { ok: false, reason });
  });
}

Callback('limits are inclusive: 16 and 256 state chars, 1024 code chars', () => {
  assert.ok(parse(`state=${'a'.repeat(16)}&code=c`).ok);
  assert.ok(parse(`state=${'a'.repeat(256)}&code=${'c'.repeat(1024)}`).ok);
});

Callback.run();
