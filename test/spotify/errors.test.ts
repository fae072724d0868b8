import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ExternalServiceError,
  InsufficientScopeError,
  InvalidGrantError,
  NotRegisteredError,
  RateLimitedError,
  SpotifyError,
  SpotifyUnauthorizedError,
} from '../../src/spotify/errors.ts';

const Errors = suite('spotify errors');

Errors('each class has a stable code that locale messages can key on', () => {
  const all = [
    new NotRegisteredError('me'),
    new InsufficientScopeError('currently-playing'),
    new RateLimitedError('track', 5, false),
    new ExternalServiceError('token', 'timeout', { retryable: true }),
    new InvalidGrantError(),
    new SpotifyUnauthorizedError('me'),
  ];
  assert.equal(all.map((e) => e.code), [
    'SPOTIFY_NOT_REGISTERED',
    'SPOTIFY_INSUFFICIENT_SCOPE',
    'SPOTIFY_RATE_LIMITED',
    'EXTERNAL_SERVICE_ERROR',
    'SPOTIFY_INVALID_GRANT',
    'SPOTIFY_UNAUTHORIZED',
  ]);
  for (const e of all) {
    assert.instance(e, SpotifyError);
    assert.is(e.name, e.constructor.name);
  }
});

Errors('JSON of an error keeps the safe facts for logs', () => {
  const json = JSON.parse(JSON.stringify(new RateLimitedError('currently-playing', 30, true)));
  assert.equal(json, {
    name: 'RateLimitedError',
    message: "Spotify rate limit: the app's quota is exceeded.",
    code: 'SPOTIFY_RATE_LIMITED',
    endpoint: 'currently-playing',
    retryAfterSec: 30,
    quotaExceeded: true,
  });
  const ext = JSON.parse(JSON.stringify(new ExternalServiceError('me', 'server', { status: 503, retryable: true })));
  assert.equal([ext.status, ext.retryable, ext.failure, ext.service], [503, true, 'server', 'spotify']);
});

Errors('the not-registered message tells the operator what to do', () => {
  const m = new NotRegisteredError('me').message;
  assert.match(m, /User Management/);
  assert.match(m, /e-mail/);
  assert.match(m, /5 users/);
});

Errors.run();
