/**
 * Redaction of event data for the replay CLI: every sealed value and hash of every event
 * type is replaced, ids and facts stay, and a secret-shaped value in a field nobody declared
 * secret is caught anyway.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { isSecretField, looksSecret, REDACTED, redactEventData } from '../../../src/devtools/replay/redact.ts';
import {
  confirmed, denied, expired, granted, refreshFailed, refreshed, refreshStarted, reminded, rejected, revoked, SECRET_MARKERS, started, unlinked,
} from '../../helpers/linkFixtures.ts';

const Redact = suite('redactEventData');

const EVERY_EVENT: LinkEvent[] = [
  started(), denied(), granted(), confirmed(), rejected(), expired(), refreshStarted(), refreshed(), refreshFailed(), revoked(), reminded(), unlinked(),
];

Redact('no sealed value or hash of any event type survives', () => {
  for (const event of EVERY_EVENT) {
    const { type, data } = event;
    const shown = JSON.stringify(redactEventData(type, data));
    for (const marker of SECRET_MARKERS) assert.not.ok(shown.includes(marker), `${type} shows ${marker.slice(0, 12)}…`);
  }
});

Redact('the secret fields read ‹redacted›, the facts an operator needs stay', () => {
  const { type, data } = granted();
  const shown = redactEventData(type, data);
  for (const field of ['completionHash', 'accessToken', 'refreshToken']) assert.is(shown[field], REDACTED);
  assert.is(shown['attemptId'], 'att-1');
  assert.is(shown['spotifyUserId'], REDACTED, 'personal data is sealed (GrantReceived@2)');
  assert.is(shown['displayName'], REDACTED);
  assert.equal(shown['scopes'], ['user-read-currently-playing', 'user-read-recently-played']);
  const start = redactEventData('LoginStarted', started().data);
  assert.equal([start['stateHash'], start['verifier'], start['keyId'], start['relink']], [REDACTED, REDACTED, 'key-1', false]);
  assert.is(redactEventData('RefreshFailed', refreshFailed().data)['reason'], 'unavailable');
});

Redact('the schema decides first: a sealed or hashed field is secret whatever its name', () => {
  assert.ok(isSecretField('TokensRefreshed', 'refreshToken'));
  assert.ok(isSecretField('GrantReceived', 'completionHash'));
  assert.ok(isSecretField('GrantReceived', 'spotifyUserId'), 'sealed since GrantReceived@2');
  assert.ok(isSecretField('GrantReceived', 'displayName'));
  assert.not.ok(isSecretField('LoginStarted', 'keyId'));
});

Redact('a secret-shaped value in an undeclared field is still redacted', () => {
  const sealed = 'v1.0a1b2c3d.QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkw';
  const digest = 'ab'.repeat(32);
  assert.ok(looksSecret(sealed));
  assert.ok(looksSecret(digest));
  assert.not.ok(looksSecret('k-0073ae91-066d-41ec-a19a-812c2c71c3fb'));
  assert.equal(redactEventData('FutureEvent', { note: sealed, nested: { list: [digest, 'plain'] }, code: 'abc' }), {
    note: REDACTED,
    nested: { list: [REDACTED, 'plain'] },
    code: REDACTED,
  });
});

Redact.run();
