/**
 * The link machine's state is O(1) per user: 10,000 `/login`s through `decide` (each one
 * superseding the last, next to a confirmed link) leave a `link_state` row of constant size
 * and events of constant size, and each login ends exactly one key, the one it superseded.
 * Machine version 1 kept every ended key in the context, so the row grew by one key id per
 * login (about 40 bytes) and each append copied the whole list.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decide, keysToShred } from '../../src/link/decide.ts';
import { foldLinkEvents, linkStateName } from '../../machines/spotifyLink.machine.ts';
import { snapshotRow } from '../../src/link/projections.ts';
import { LINKED, MIN, T0, cmd, hash, sealed } from '../helpers/linkFixtures.ts';

const LOGINS = 10_000;
const Bounded = suite('link state is bounded');

Bounded(`${LOGINS.toLocaleString('en')} logins by one user: the row stays under 4 KB and does not grow; each ends one key`, () => {
  let snapshot = foldLinkEvents(LINKED);
  let version = LINKED.length - 1;
  const rowBytes: number[] = [];
  const eventBytes: number[] = [];
  let previousKey: string | null = null;
  for (let i = 1; i <= LOGINS; i++) {
    const keyId = `k-${String(i).padStart(8, '0')}`; // the service's ids have a fixed length too
    const command = cmd.startLogin({
      now: T0 + i * 3 * MIN, attemptId: `att-${String(i).padStart(8, '0')}`, keyId,
      stateHash: hash(String(i % 10)), verifier: sealed(`verifier-${String(i).padStart(8, '0')}`),
    });
    const decision = decide(snapshot, command);
    assert.is(decision.error, undefined);
    const { after } = decision;
    assert.equal(keysToShred(snapshot, after), previousKey ? [previousKey] : [], 'the superseded attempt’s key, and only it');
    previousKey = keyId;
    snapshot = after;
    version += decision.events.length;
    eventBytes.push(decision.events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0));
    rowBytes.push(Buffer.byteLength(JSON.stringify(snapshotRow(snapshot, version))));
  }
  assert.is(linkStateName(snapshot), 'awaitingCallback.pending');
  assert.is(snapshot.context.link?.keyId, 'key-1', 'the confirmed link (and its key) stays through every re-login');

  const max = Math.max(...rowBytes);
  assert.ok(max < 4096, `the link_state row stays under 4 KB (largest ${max} B)`);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const first = sum(rowBytes.slice(0, 1000)) + sum(eventBytes.slice(0, 1000));
  const last = sum(rowBytes.slice(-1000)) + sum(eventBytes.slice(-1000));
  assert.ok(last <= first * 1.02, `the last 1,000 logins write no more than the first 1,000 (${first} → ${last} B)`);
});

Bounded.run();
