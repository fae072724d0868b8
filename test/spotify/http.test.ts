import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { retryAfterSec, send } from '../../src/spotify/http.ts';
import { ExternalServiceError } from '../../src/spotify/errors.ts';

const RetryAfter = suite('retryAfterSec');

RetryAfter('reads delta seconds and HTTP dates, ignores junk', () => {
  const h = (v?: string) => new Headers(v === undefined ? {} : { 'retry-after': v });
  assert.is(retryAfterSec(h('12')), 12);
  assert.is(retryAfterSec(h(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString()), Date.UTC(2026, 0, 1)), 30);
  assert.is(retryAfterSec(h('soon')), undefined);
  assert.is(retryAfterSec(h()), undefined);
});

RetryAfter.run();

const Send = suite('send');

Send('a broken metrics hook does not break the call', async () => {
  const res = await send(
    { fetch: async () => new Response('{}', { status: 200 }), timeoutMs: 1000, onResponse: () => { throw new Error('boom'); } },
    'me',
    'http://127.0.0.1/v1/me',
    { method: 'GET' },
  );
  assert.is(res.status, 200);
});

Send('a transport error never carries the request URL or headers', async () => {
  try {
    await send(
      { fetch: async (url, init) => { throw new TypeError(`fetch failed ${url} ${JSON.stringify(init.headers)}`); }, timeoutMs: 1000, onResponse: undefined },
      'token',
      'http://127.0.0.1/api/token?secret=s3cr3t',
      { method: 'POST', headers: { authorization: 'Basic c2VjcmV0' } },
    );
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ExternalServiceError);
    const dump = JSON.stringify(err) + String(err) + (err as Error).stack;
    assert.not.ok(dump.includes('s3cr3t') || dump.includes('c2VjcmV0'));
    assert.is((err as ExternalServiceError).failure, 'network');
  }
});

Send.run();
