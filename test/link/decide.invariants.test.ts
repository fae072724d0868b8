/**
 * Property tests over random command sequences (fast-check): whatever users, callbacks,
 * sweepers and refresh effects do in whatever order, decide() stays total, its events always
 * replay, every data key ever created is either live or ended (so shredding covers every
 * ended link), state and context agree, and replay equals the incremental state.
 */
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { liveKeyIds } from '../../machines/spotifyLink.context.ts';
import type { LinkCommand } from '../../src/link/commands.ts';
import { decide } from '../../src/link/decide.ts';
import { asSealed, type LinkEvent } from '../../machines/spotifyLink.events.ts';
import { createLinkRegistry } from '../../src/link/linkLog.ts';
import {
  evolve, foldLinkEvents, initialLinkSnapshot, keysToShred, linkStateName, type LinkSnapshot,
} from '../../machines/spotifyLink.machine.ts';
import { summarizeLink } from '../../src/link/summary.ts';
import { DAY, MIN, OWNER, STRANGER, T0, sealed } from '../helpers/linkFixtures.ts';

const KINDS = [
  'startLogin', 'recordGrant', 'denyLogin', 'confirmLink', 'rejectLink', 'expireLogin', 'startRefresh',
  'completeRefresh', 'failRefresh', 'revokeAccess', 'sendRelinkReminder', 'unlink',
] as const;

type Kind = (typeof KINDS)[number];

/** Commands that move each state forward, so random runs reach every state often. */
const USEFUL: Record<string, Kind[]> = {
  unlinked: ['startLogin'],
  revoked: ['startLogin'],
  'awaitingCallback.pending': ['recordGrant', 'recordGrant', 'recordGrant', 'denyLogin', 'expireLogin', 'startLogin', 'unlink'],
  'awaitingCallback.confirming': ['confirmLink', 'confirmLink', 'confirmLink', 'confirmLink', 'rejectLink', 'expireLogin', 'startLogin', 'unlink'],
  linked: ['startRefresh', 'startRefresh', 'startRefresh', 'revokeAccess', 'sendRelinkReminder', 'sendRelinkReminder', 'startLogin', 'unlink'],
  refreshing: ['completeRefresh', 'completeRefresh', 'failRefresh', 'startRefresh', 'revokeAccess', 'unlink'],
};

const step = fc.record({
  kind: fc.constantFrom(...KINDS),
  useful: fc.integer({ min: 0, max: 9 }), // < 7: pick a command that fits the state instead of `kind`
  pick: fc.nat(),
  current: fc.integer({ min: 0, max: 5 }), // > 0: name the current attempt/refresh, 0: a stale one
  flag: fc.boolean(),
  dt: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 2 * MIN }), weight: 6 },
    { arbitrary: fc.integer({ min: 0, max: 30 * MIN }), weight: 2 },
    { arbitrary: fc.integer({ min: 0, max: 200 * DAY }), weight: 1 },
  ),
});

type Step = { kind: Kind; useful: number; pick: number; current: number; flag: boolean; dt: number };

const hex = (n: number, salt: string) => (salt + n.toString(16)).padStart(64, '0').slice(-64);

function commandFor(s: LinkSnapshot, i: number, now: number, st: Step): LinkCommand {
  const c = s.context;
  const fitting = USEFUL[linkStateName(s)]!;
  const kind = st.useful < 7 ? fitting[st.pick % fitting.length]! : st.kind;
  const current = st.current > 0;
  const stateHash = current && c.attempt ? c.attempt.stateHash : hex(i, 'a');
  const completionHash = current && c.attempt?.completionHash ? c.attempt.completionHash : hex(i, 'b');
  const attemptId = current && c.attempt ? c.attempt.attemptId : `att-${i - 1}`;
  const refreshId = current && c.refreshId ? c.refreshId : `ref-${i - 1}`;
  switch (kind) {
    case 'startLogin':
      return { type: kind, now, attemptId: `att-${i}`, keyId: `key-${i}`, stateHash: hex(i, 'e'), verifier: sealed(`v${i}`) };
    case 'recordGrant':
      return { type: kind, now, stateHash, completionHash: hex(i, 'c'), spotifyUserId: asSealed(`sp${i}`), displayName: st.flag ? null : asSealed('N'),
        scopes: ['user-read-currently-playing'], accessToken: sealed(`a${i}`), refreshToken: sealed(`r${i}`), accessExpiresAt: now + 3_600_000 };
    case 'denyLogin':
      return { type: kind, now, stateHash, error: 'access_denied' };
    case 'confirmLink':
      return { type: kind, now, completionHash, actingUserId: st.flag || st.current > 2 ? OWNER : STRANGER, ownerUserId: OWNER };
    case 'rejectLink':
      return { type: kind, now, completionHash, byUserId: STRANGER };
    case 'expireLogin':
      return { type: kind, now, attemptId };
    case 'startRefresh':
      return { type: kind, now, refreshId: `ref-${i}`, recover: st.flag };
    case 'completeRefresh':
      return { type: kind, now, refreshId, accessToken: sealed(`a${i}`), accessExpiresAt: now + 3_600_000,
        ...(st.flag ? { refreshToken: sealed(`r${i}`) } : {}) };
    case 'failRefresh':
      return { type: kind, now, refreshId, reason: st.flag ? 'timeout' : 'rateLimited', ...(st.flag ? {} : { retryAfterSec: 5 }) };
    case 'revokeAccess':
      return { type: kind, now, reason: st.flag ? 'invalidGrant' : 'refreshTokenExpired' };
    case 'sendRelinkReminder': // usually jump to the due day, so the reminder actually goes out
      return { type: kind, now: current && c.link ? Math.max(now, c.link.reminderDueAt) : now };
    case 'unlink':
      return { type: kind, now };
  }
}

function checkShape(s: LinkSnapshot): void {
  const { attempt, link, refreshId, revocationReason } = s.context;
  const name = linkStateName(s);
  assert.is(attempt !== null, name.startsWith('awaitingCallback'), `attempt in ${name}`);
  assert.is(attempt?.grant != null, name === 'awaitingCallback.confirming', `grant in ${name}`);
  assert.is(refreshId !== null, name === 'refreshing', `refreshId in ${name}`);
  if (name === 'linked' || name === 'refreshing') assert.ok(link, `link in ${name}`);
  if (name === 'unlinked' || name === 'revoked') assert.is(link, null, `link in ${name}`);
  assert.is(revocationReason !== null, name === 'revoked', `revocationReason in ${name}`);
  if (attempt && link) assert.ok(attempt.relink, 'an attempt next to a link is a re-link');
}

const Invariants = suite('link domain invariants');
const registry = createLinkRegistry();

Invariants('random command sequences keep every invariant', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 5, maxLength: 60 }), (steps) => {
      let s = initialLinkSnapshot();
      let now = T0;
      const log: LinkEvent[] = [];
      const created = new Set<string>();
      const shredded = new Set<string>();
      steps.forEach((st, i) => {
        const before = s;
        const command = commandFor(s, i, now + st.dt, st);
        now = command.now;
        const decision = decide(s, command);
        for (const e of decision.events) {
          assert.equal(registry.validate(e).data, e.data, 'the event passes its schema (the append would take it)');
          if (e.type === 'LoginStarted') created.add(e.data.keyId);
          s = evolve(s, e); // strict: throws if decide emitted something the machine refuses
          log.push(e);
        }
        if (decision.events.length === 0) assert.equal(s.context, before.context, 'a pure refusal changes nothing');
        const live = new Set(liveKeyIds(s.context));
        for (const k of keysToShred(before, s)) {
          assert.not.ok(shredded.has(k), `key ${k} shredded twice`);
          shredded.add(k);
        }
        for (const k of live) assert.not.ok(shredded.has(k), 'a shredded key is never live again');
        for (const k of created) assert.ok(live.has(k) || shredded.has(k), `key ${k} neither live nor shredded`);
        assert.ok(live.size <= 2, 'at most two live keys: the link and the attempt');
        checkShape(s);
      });
      const replayed = foldLinkEvents(log);
      assert.equal(replayed.value, s.value);
      assert.equal(replayed.context, s.context);
      const summary = JSON.stringify(summarizeLink(replayed));
      assert.is(summary, JSON.stringify(summarizeLink(s)));
      assert.not.ok(summary.includes('SEALED-'), 'no sealed string in the summary');
    }),
    { numRuns: 400 },
  );
});

Invariants.run();
