/**
 * The link machine as a definition: every state reachable from `unlinked` and every drawn
 * transition taken (xstate/graph), deterministic replay, strict evolve, a secret-free
 * summary, and purity of `machines/` (no clock, randomness, I/O, invoke or after).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { isDomainError } from '../../machines/domainError.ts';
import { COMPLETION_TTL_MS, LOGIN_TTL_MS, attemptDeadline } from '../../machines/spotifyLink.context.ts';
import { leafStates, machineEdges } from '../../machines/spotifyLink.diagram.ts';
import type { LinkEvent } from '../../machines/spotifyLink.events.ts';
import {
  MACHINE_VERSION, evolve, foldLinkEvents, initialLinkSnapshot, linkMachine, linkStateName, type LinkSnapshot,
} from '../../machines/spotifyLink.machine.ts';
import { summarizeLink } from '../../src/link/summary.ts';
import {
  COMPLETION_1, LINKED, MIN, RELINK_CONFIRMING, SECRET_MARKERS, STATE_1, T0, granted, refreshFailed, refreshStarted,
  refreshed, reminded, revoked, sealed, started, unlinked,
} from '../helpers/linkFixtures.ts';

/** Events worth trying in `s`: each names the current attempt/refresh and a plausible instant. */
function candidateEvents(s: LinkSnapshot): LinkEvent[] {
  const c = s.context;
  const at = (c.lastEventAt ?? T0) + MIN;
  const out: LinkEvent[] = [
    { type: 'LoginStarted', data: { at, attemptId: `att-${at}`, keyId: `key-${at}`, stateHash: STATE_1,
      verifier: sealed('v'), expiresAt: at + LOGIN_TTL_MS, relink: c.link !== null } },
  ];
  if (c.attempt) {
    const attemptId = c.attempt.attemptId;
    out.push(
      granted({ at, attemptId, completionExpiresAt: at + COMPLETION_TTL_MS }),
      { type: 'LoginDenied', data: { at, attemptId, error: 'access_denied' } },
      { type: 'LoginExpired', data: { at: attemptDeadline(c.attempt), attemptId } },
      { type: 'LinkConfirmed', data: { at, attemptId } },
      { type: 'LinkRejected', data: { at, attemptId, reason: 'foreignTelegramUser', byUserId: 7 } },
    );
  }
  if (c.link) {
    out.push(refreshStarted({ at, refreshId: `ref-${at}` }), revoked({ at }),
      reminded({ at: Math.max(at, c.link.reminderDueAt) }));
  }
  if (c.refreshId) out.push(refreshed({ at, refreshId: c.refreshId }), refreshFailed({ at, refreshId: c.refreshId }));
  out.push(unlinked({ at }));
  return out;
}

/** A finite abstraction of a snapshot for traversal: the state plus what is held. */
function shape(s: LinkSnapshot): string {
  const c = s.context;
  return [linkStateName(s), !!c.attempt, !!c.attempt?.grant, !!c.link, c.link?.reminderSent, !!c.refreshId].join('|');
}

const traversal = { events: candidateEvents, serializeState: shape, serializeEvent: (e: LinkEvent) => e.type };

const Graph = suite('link machine graph');

Graph('every state is reachable from unlinked', () => {
  const reached = new Set(getShortestPaths(linkMachine, traversal).map((p) => linkStateName(p.state)));
  assert.equal([...reached].sort(), leafStates(linkMachine).sort());
  assert.equal(leafStates(linkMachine).sort(), [
    'awaitingCallback.confirming', 'awaitingCallback.pending', 'linked', 'refreshing', 'revoked', 'unlinked',
  ]);
});

Graph('every transition of the definition is taken by some reachable snapshot', () => {
  const taken = new Set<string>();
  for (const { state, transitions } of Object.values(getAdjacencyMap(linkMachine, traversal))) {
    for (const { event, state: next } of Object.values(transitions) as Array<{ event: LinkEvent; state: LinkSnapshot }>) {
      if (state.can(event)) taken.add(`${linkStateName(state)} ${event.type} ${linkStateName(next)}`);
    }
  }
  for (const edge of machineEdges(linkMachine)) {
    const hit = [...taken].some((t) => {
      const [from, type, to] = t.split(' ');
      return (from === edge.source || from!.startsWith(`${edge.source}.`)) && type === edge.event && to === edge.enters;
    });
    assert.ok(hit, `never taken: ${edge.source} --${edge.event}--> ${edge.enters}`);
  }
});

Graph.run();

const Replay = suite('replay');

const HISTORY: LinkEvent[] = [
  ...RELINK_CONFIRMING,
  { type: 'LinkConfirmed', data: { at: T0 + 102 * MIN, attemptId: 'att-2' } },
  refreshStarted({ at: T0 + 160 * MIN }),
  refreshFailed({ at: T0 + 161 * MIN, reason: 'timeout' }),
  refreshStarted({ at: T0 + 162 * MIN, refreshId: 'ref-2' }),
  refreshed({ at: T0 + 163 * MIN, refreshId: 'ref-2', refreshToken: undefined }),
];

Replay('replaying a stream twice gives the same state and summary', () => {
  const a = foldLinkEvents(HISTORY);
  const b = foldLinkEvents(HISTORY);
  assert.equal(a.value, b.value);
  assert.equal(a.context, b.context);
  assert.is(JSON.stringify(summarizeLink(a)), JSON.stringify(summarizeLink(b)));
  assert.is(linkStateName(a), 'linked');
});

Replay('replay in two halves equals replay in one go', () => {
  const half = foldLinkEvents(HISTORY.slice(0, 4));
  assert.equal(foldLinkEvents(HISTORY.slice(4), half).context, foldLinkEvents(HISTORY).context);
});

Replay('folding does not touch the events or earlier snapshots', () => {
  const copy = structuredClone(HISTORY);
  const before = foldLinkEvents(LINKED);
  const frozen = JSON.stringify(before.context);
  foldLinkEvents(HISTORY.slice(3), before);
  assert.equal(HISTORY, copy);
  assert.is(JSON.stringify(before.context), frozen);
});

Replay('an event that does not apply stops the replay with EVENT_NOT_APPLICABLE', () => {
  try {
    evolve(initialLinkSnapshot(), granted());
    assert.unreachable('should throw');
  } catch (err) {
    assert.ok(isDomainError(err, 'EVENT_NOT_APPLICABLE'));
    assert.equal(err.details, { state: 'unlinked', eventType: 'GrantReceived' });
  }
});

Replay('a superseded attempt’s late grant does not apply', () => {
  const s = foldLinkEvents([started(), started({ at: T0 + 1, attemptId: 'att-2', keyId: 'key-2' })]);
  assert.not.ok(s.can(granted()));
});

Replay.run();

const Summary = suite('summarizeLink');

Summary('the summary is plain JSON with no sealed string or hash', () => {
  for (let n = 0; n <= HISTORY.length; n++) {
    const text = JSON.stringify(summarizeLink(foldLinkEvents(HISTORY.slice(0, n))));
    for (const marker of SECRET_MARKERS) assert.not.ok(text.includes(marker), `${marker} leaked after ${n} events`);
    assert.not.ok(text.includes(COMPLETION_1));
  }
});

Summary('the summary names the state, version and link facts the bot shows', () => {
  const s = summarizeLink(foldLinkEvents(LINKED));
  assert.is(s.machineVersion, MACHINE_VERSION);
  assert.is(s.state, 'linked');
  assert.is(s.link?.displayName, 'Ann');
  assert.is(s.lastEventAt, T0 + 2 * MIN);
  assert.equal(summarizeLink(initialLinkSnapshot()).state, 'unlinked');
});

Summary.run();

const Purity = suite('machines/ purity');

Purity('machines/ imports only xstate, zod and its own files, and reads no clock or randomness', () => {
  const dir = new URL('../../machines/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    // Comments may mention Date.now() in examples; only code counts.
    const src = readFileSync(new URL(file, dir), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const [, spec] of src.matchAll(/\bfrom\s+'([^']+)'/g)) {
      assert.ok(/^(xstate|xstate\/graph|zod|\.\/.+\.ts)$/.test(spec!), `${file} imports ${spec}`);
    }
    assert.not.match(src, /Date\.now|new Date\(|Math\.random|crypto|process\.|\binvoke\s*:\s*[{[]|\bafter\s*:\s*\{/, file);
  }
});

Purity.run();
