/**
 * The v1 event schemas: the registry list matches the machine, hashes and sealed strings are
 * checked, unknown fields are refused, errors never echo values, and the registry appends
 * every event at its current version.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isDomainError } from '../../machines/domainError.ts';
import { eventTypes } from '../../machines/spotifyLink.diagram.ts';
import { EventValidationError } from '../../eventlog/index.ts';
import { GrantReceivedV1, LINK_EVENT_TYPES, LoginStartedV1, asSealed, linkEventData } from '../../machines/spotifyLink.events.ts';
import { createLinkRegistry, linkEventTypes } from '../../src/link/linkLog.ts';
import { linkMachine } from '../../machines/spotifyLink.machine.ts';
import {
  granted, refreshFailed, refreshStarted, refreshed, rejected, reminded, revoked, started, unlinked, confirmed, denied,
  expired,
} from '../helpers/linkFixtures.ts';

const ALL = [started(), denied(), granted(), confirmed(), rejected(), expired(), refreshStarted(), refreshed(),
  refreshFailed(), revoked(), reminded(), unlinked()];
const dataOf = <T extends { data: object }>(e: T) => e.data;

const Schemas = suite('link event schemas');

Schemas('the registry lists every event the machine handles, each at v1 but GrantReceived@2 (personal data sealed)', () => {
  assert.equal([...LINK_EVENT_TYPES].sort(), eventTypes(linkMachine).sort());
  assert.equal(linkEventTypes.map((t) => t.type).sort(), [...LINK_EVENT_TYPES].sort());
  for (const entry of linkEventTypes) assert.is(entry.version, entry.type === 'GrantReceived' ? 2 : 1);
});

Schemas('every fixture event passes its schema unchanged', () => {
  for (const event of ALL) {
    assert.equal(linkEventData[event.type].parse(event.data), event.data, event.type);
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

const Registry = suite('the link registry');

Registry('every fixture event is appended at its current version, its data unchanged', () => {
  const registry = createLinkRegistry();
  for (const event of ALL) {
    const validated = registry.validate(event);
    assert.is(validated.v, event.type === 'GrantReceived' ? 2 : 1);
    assert.equal(validated.data, event.data, event.type);
  }
});

Registry('an unknown type or a bad field is refused, naming the field, never the value', () => {
  const registry = createLinkRegistry();
  assert.throws(() => registry.validate({ type: 'Nope', data: {} }), (e: unknown) => e instanceof EventValidationError);
  try {
    registry.validate({ type: 'Unlinked', data: { at: 1, reason: 'bored' } });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, EventValidationError);
    assert.match((err as Error).message, /reason/);
    assert.not.ok((err as Error).message.includes('bored'));
  }
});

Registry.run();
