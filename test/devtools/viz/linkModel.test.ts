/**
 * The visualizer's model: users per state (every state listed, zeros included), each user's
 * path of states, tolerance for overlapping deliveries, and a refused event shown rather than
 * hidden.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Envelope } from '../../../eventlog/index.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { LinkModel, MAX_PATH } from '../../../src/devtools/viz/linkModel.ts';
import { confirmed, granted, LINKED, refreshed, refreshStarted, started, unlinked } from '../../helpers/linkFixtures.ts';

const Model = suite('LinkModel');

let global = 0;
const positions = new Map<number, number>();
function envelope(userId: number, event: LinkEvent): Envelope<LinkEvent> {
  const streamPosition = positions.get(userId) ?? 0;
  positions.set(userId, streamPosition + 1);
  const { type, data } = event;
  return {
    type, v: 1, data,
    meta: { eventId: `e${global}`, stream: `link-${userId}`, streamPosition, globalPosition: global++, time: new Date(event.data.at).toISOString(), correlationId: 'c' },
  } as Envelope<LinkEvent>;
}

Model.before.each(() => {
  global = 0;
  positions.clear();
});

Model('counts users per state, listing every state of the machine', () => {
  const model = new LinkModel();
  const changed = model.apply([...LINKED.map((e) => envelope(1, e)), envelope(2, started()), envelope(3, started()), envelope(3, granted())]);
  assert.equal(changed.sort(), [1, 2, 3]);
  const { counts, users, head } = model.overview();
  assert.equal(counts, {
    unlinked: 0, 'awaitingCallback.pending': 1, 'awaitingCallback.confirming': 1, linked: 1, refreshing: 0, revoked: 0,
  });
  assert.equal(users.map((u) => [u.userId, u.state, u.events]), [[1, 'linked', 3], [2, 'awaitingCallback.pending', 1], [3, 'awaitingCallback.confirming', 2]]);
  assert.is(head, 5);
});

Model("a user's path lists each event with the state it left and the state it entered", () => {
  const model = new LinkModel();
  model.apply([...LINKED, refreshStarted(), refreshed(), unlinked()].map((e) => envelope(7, e)));
  const user = model.user(7)!;
  assert.is(user.state, 'unlinked');
  assert.equal(user.path.map((s) => `${s.type}: ${s.from} → ${s.to}`), [
    'LoginStarted: unlinked → awaitingCallback.pending',
    'GrantReceived: awaitingCallback.pending → awaitingCallback.confirming',
    'LinkConfirmed: awaitingCallback.confirming → linked',
    'RefreshStarted: linked → refreshing',
    'TokensRefreshed: refreshing → linked',
    'Unlinked: linked → unlinked',
  ]);
  assert.is(model.user(8), undefined);
});

Model('events delivered twice (backlog and live overlapping) are applied once', () => {
  const model = new LinkModel();
  const events = LINKED.map((e) => envelope(1, e));
  model.apply(events.slice(0, 2));
  assert.equal(model.apply(events), [1]);
  assert.equal(model.apply(events), []);
  assert.is(model.user(1)!.events, 3);
});

Model('an event the machine refuses is shown with the reason, and the state stays', () => {
  const model = new LinkModel();
  model.apply([envelope(4, started()), envelope(4, confirmed())]);
  const user = model.user(4)!;
  assert.is(user.state, 'awaitingCallback.pending');
  assert.match(user.path[1]!.problem!, /LinkConfirmed is not applicable in state awaitingCallback\.pending/);
});

Model('a long history keeps the latest steps and counts the rest', () => {
  const model = new LinkModel();
  const events: LinkEvent[] = [...LINKED];
  for (let i = 0; i < MAX_PATH; i++) events.push(refreshStarted({ refreshId: `r${i}` }), refreshed({ refreshId: `r${i}` }));
  model.apply(events.map((e) => envelope(5, e)));
  const user = model.user(5)!;
  assert.is(user.path.length, MAX_PATH);
  assert.is(user.omitted, events.length - MAX_PATH);
  assert.is(user.path.at(-1)!.position, events.length - 1);
});

Model.run();
