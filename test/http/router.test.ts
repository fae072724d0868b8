import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRouter } from '../../src/http/router.ts';
import type { Route } from '../../src/http/route.ts';

const Router = suite('router');
const route = (path: string, methods: Route['methods']): Route => ({ path, methods, handle: () => ({ status: 200 }) });

Router('paths match exactly: no prefixes, no trailing-slash folding, case matters', () => {
  const router = createRouter([route('/a/b', ['GET'])]);
  assert.is(router.match('GET', '/a/b').kind, 'found');
  for (const p of ['/a', '/a/b/', '/A/b', '/a/b/c', '']) assert.is(router.match('GET', p).kind, 'notFound', p);
});

Router('GET routes also answer HEAD; other methods get the Allow list', () => {
  const router = createRouter([route('/g', ['GET']), route('/p', ['POST']), route('/gp', ['GET', 'POST'])]);
  assert.is(router.match('HEAD', '/g').kind, 'found');
  assert.equal(router.match('PUT', '/g'), { kind: 'methodNotAllowed', allow: 'GET, HEAD' });
  assert.equal(router.match('HEAD', '/p'), { kind: 'methodNotAllowed', allow: 'POST' });
  assert.equal(router.match('DELETE', '/gp'), { kind: 'methodNotAllowed', allow: 'GET, POST, HEAD' });
});

Router('an unknown path is 404 whatever the method', () => {
  assert.is(createRouter([route('/g', ['GET'])]).match('POST', '/x').kind, 'notFound');
});

Router('a relative path, a duplicate path or no methods are refused', () => {
  assert.throws(() => createRouter([route('g', ['GET'])]), /must start with/);
  assert.throws(() => createRouter([route('/g', ['GET']), route('/g', ['POST'])]), /Two routes/);
  assert.throws(() => createRouter([route('/g', [])]), /no methods/);
});

Router.run();
