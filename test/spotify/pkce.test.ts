import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPkcePair, pkceChallenge } from '../../src/spotify/pkce.ts';

const Pkce = suite('pkce');

Pkce('a verifier is 43–128 unreserved characters and fresh every time', () => {
  const a = createPkcePair();
  const b = createPkcePair();
  assert.ok(a.verifier.length >= 43 && a.verifier.length <= 128);
  assert.match(a.verifier, /^[A-Za-z0-9\-._~]+$/);
  assert.is.not(a.verifier, b.verifier);
});

Pkce('the challenge is S256 as in RFC 7636 appendix B', () => {
  assert.is(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  const pair = createPkcePair();
  assert.is(pair.challenge, pkceChallenge(pair.verifier));
  assert.match(pair.challenge, /^[A-Za-z0-9_-]{43}$/);
});

Pkce.run();
