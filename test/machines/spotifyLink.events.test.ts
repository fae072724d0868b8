/**
 * The v1 event schemas: the registry list matches the machine, hashes and sealed strings are
 * checked, unknown fields are refused, errors never echo values, and the stored/machine
 * shapes round-trip.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isDomainError } from '../../machines/domainError.ts';
import { eventTypes } from '../../machines/spotifyLink.diagram.ts';
import {
  GrantReceivedV1, LINK_EVENT_TYPES, LoginStartedV1, asSealed, linkEventSchemas, toLinkEvent, toStoredLinkEvent,
} from '../../machines/spotifyLink.events.ts';
import { linkMachine } from '../../machines/spotifyLink.machine.ts';
import {
  granted, refreshFailed, refreshStarted, refreshed, rejected, reminded, revoked, started, unlinked, confirmed, denied,
  expired,
} from '../helpers/linkFixtures.ts';

const ALL = [started(), denied(), granted(), confirmed(), rejected(), expired(), refreshStarted(), refreshed(),
  refreshFailed(), revoked(), reminded(), unlinked()];
const dataOf = <T extends { type: string }>(e: T) => {
  const { type: _t, ...data } = e;
  return data;
};

const Schemas = suite('link event schemas');

Schemas('the registry lists every event the machine handles, each at v1 but GrantReceived@2 (personal data sealed)', () => {
  assert.equal([...LINK_EVENT_TYPES].sort(), eventTypes(linkMachine).sort());
  assert.is(linkEventSchemas.length, 12);
  for (const entry of linkEventSchemas) assert.is(entry.v, entry.type === 'GrantReceived' ? 2 : 1);
});

Schemas('every fixture event passes its schema unchanged', () => {
  for (const event of ALL) {
    const entry = linkEventSchemas.find((e) => e.type === event.type)!;
    assert.equal(entry.schema.parse(dataOf(event)), dataOf(event), event.type);
  }
});

Schemas('hashes must be 64 lowercase hex characters', () => {
  const base = dataOf(started());
  for (const bad of ['A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64)]) {
    assert.not.ok(LoginStartedV1.safeParse({ ...base, stateHash: bad }).success, bad);
  }
  assert.not.ok(GrantReceivedV1.safeParse({ ...dataOf(granted()), completionHash: 'x' }).success);
});

Schemas('sealed strings must be non-empty and a stray field is refused', () => {
  assert.not.ok(LoginStartedV1.safeParse({ ...dataOf(started()), verifier: '' }).success);
  assert.not.ok(LoginStartedV1.safeParse({ ...dataOf(started()), verifierPlain: 'oops' }).success);
  assert.throws(() => asSealed(''), (e: unknown) => isDomainError(e, 'INVALID_COMMAND'));
});

Schemas('a validation error names the field, never the value', () => {
  const secret = 'TOPSECRET-not-a-hash';
  const result = LoginStartedV1.safeParse({ ...dataOf(started()), stateHash: secret });
  assert.not.ok(result.success);
  assert.not.ok(JSON.stringify(result.error?.issues).includes(secret));
  assert.not.ok(String(result.error).includes(secret));
});

Schemas('Spotify may leave the display name null', () => {
  assert.ok(GrantReceivedV1.safeParse({ ...dataOf(granted()), displayName: null }).success);
});

Schemas.run();

const Shapes = suite('stored and machine shapes');

Shapes('an event round-trips through the stored { type, v, data } shape', () => {
  for (const event of ALL) {
    const stored = toStoredLinkEvent(event);
    assert.is(stored.v, event.type === 'GrantReceived' ? 2 : 1);
    assert.not.ok('type' in stored.data);
    assert.equal(toLinkEvent(stored), event);
  }
});

Shapes('an unknown type or version is refused', () => {
  assert.throws(() => toLinkEvent({ type: 'Nope', v: 1, data: {} }), (e: unknown) => isDomainError(e, 'INVALID_EVENT'));
  assert.throws(() => toLinkEvent({ type: 'Unlinked', v: 2, data: { at: 1, reason: 'user' } }), /Unlinked@2/);
  try {
    toLinkEvent({ type: 'Unlinked', v: 1, data: { at: 1, reason: 'bored' } });
    assert.unreachable();
  } catch (err) {
    assert.ok(isDomainError(err, 'INVALID_EVENT'));
    assert.equal(err.details.paths, ['reason']);
    assert.not.ok(err.message.includes('bored'));
  }
});

Shapes.run();
