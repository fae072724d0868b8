/**
 * Load → decide → append: the only write path for link events. Decisions are appended with
 * the expected version, data keys are created and shredded in the same atomic batch as the
 * events that start and end them, a second writer is met with one fresh retry, and one
 * user's commands never interleave.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventValidationError, VersionConflictError, type BatchOp } from '../../eventlog/index.ts';
import { summarizeLink } from '../../src/link/summary.ts';
import { linkStream } from '../../src/link/linkLog.ts';
import { LinkRepository } from '../../src/link/linkRepository.ts';
import { openLinkTables, type LinkStateRow } from '../../src/link/linkTables.ts';
import { sha256Hex } from '../../src/link/secrets.ts';
import { startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

const ALICE = 1001;
let h: LinkHarness;
/** A repository over the harness's store (the service keeps its own inside). */
let repo: LinkRepository;
let batches: BatchOp[][];

/** The batch that wrote the event `type` of `userId`'s stream. */
function batchWith(type: string): BatchOp[] {
  const found = batches.filter((ops) => ops.some((op) => op.type === 'put' && op.value.startsWith(`["${type}",`)));
  assert.is(found.length, 1, `one batch wrote ${type}`);
  return found[0]!;
}
const touchesKey = (ops: BatchOp[], kind: 'put' | 'del', keyId: string) => ops.some((op) => op.type === kind && op.key === keyId);

/** Appends a `LoginStarted` as a second writer would (bypassing the repository and its cache). */
async function outsideLoginStarted(userId: number, n: number): Promise<void> {
  const at = h.clock.now();
  const data = {
    at, attemptId: `outside-${n}`, keyId: `k-outside-${n}`, stateHash: sha256Hex(`outside-${n}`),
    verifier: 'v1.00000000.outside' as never, expiresAt: at + 600_000, relink: false,
  };
  await h.store.appendToStream(linkStream(userId), [{ type: 'LoginStarted', data }], { expectedVersion: 'any' });
}

const Repo = suite('linkRepository');

Repo.before.each(async () => {
  // No /login limit: the repository's ordering is under test, not the service's limit.
  h = await startLinkHarness({ deps: { loginRateLimit: false } });
  repo = new LinkRepository(h.store, openLinkTables(h.store), h.vault);
  batches = [];
  const db = h.store.db as unknown as { batch: (ops: BatchOp[], o: unknown) => Promise<void> };
  const real = db.batch.bind(db);
  db.batch = (ops, o) => {
    if (Array.isArray(ops)) batches.push([...ops]);
    return real(ops, o);
  };
});
Repo.after.each(async () => {
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
});

Repo('a command is decided on the latest state and appended at the expected version', async () => {
  await h.link(ALICE);
  const version = await h.store.streamVersion(linkStream(ALICE));
  const keyId = (await h.links.status(ALICE)).link!.keyId;
  const result = await repo.execute(ALICE, async (snapshot) => {
    assert.ok(snapshot.matches('linked'));
    return { command: { type: 'unlink', now: h.clock.now() } };
  });
  assert.ok(result!.before.matches('linked'));
  assert.ok(result!.after.matches('unlinked'));
  assert.equal(result!.decision.events.map((e) => e.type), ['Unlinked']);
  assert.equal(result!.shredded, [keyId]);
  assert.is(await h.store.streamVersion(linkStream(ALICE)), version + 1);
  const row: LinkStateRow | undefined = await openLinkTables(h.store).linkState.get(ALICE);
  assert.equal(row!.summary, summarizeLink((await repo.load(ALICE)).snapshot), 'cache and table agree');
  assert.is(row!.version, version + 1);
});

Repo('a new data key is written in the same batch as the LoginStarted that first uses it', async () => {
  await h.links.startLogin(ALICE);
  const keyId = (await h.links.status(ALICE)).attempt!.keyId;
  assert.ok(touchesKey(batchWith('LoginStarted'), 'put', keyId));
  assert.is(batches.filter((ops) => touchesKey(ops, 'put', keyId)).length, 1, 'and nowhere else');
});

Repo('the data key is deleted in the same atomic batch as the event that ends its link', async () => {
  await h.link(ALICE);
  const keyId = (await h.links.status(ALICE)).link!.keyId;
  await h.links.unlink(ALICE);
  assert.ok(touchesKey(batchWith('Unlinked'), 'del', keyId));
  assert.is(batches.filter((ops) => touchesKey(ops, 'del', keyId)).length, 1);
});

Repo('a superseding /login creates the new key and shreds the old one in one batch', async () => {
  await h.links.startLogin(ALICE);
  const first = (await h.links.status(ALICE)).attempt!.keyId;
  batches = [];
  await h.links.startLogin(ALICE);
  const second = (await h.links.status(ALICE)).attempt!.keyId;
  const ops = batchWith('LoginStarted');
  assert.ok(touchesKey(ops, 'del', first));
  assert.ok(touchesKey(ops, 'put', second));
});

Repo('a refusal comes back as decision.error and writes nothing', async () => {
  const before = batches.length;
  const result = await repo.execute(ALICE, async () => ({
    command: { type: 'confirmLink', now: h.clock.now(), completionHash: sha256Hex('x'), actingUserId: ALICE, ownerUserId: ALICE },
  }));
  assert.is(result!.decision.error?.code, 'LOGIN_NOT_PENDING');
  assert.equal(result!.decision.events, []);
  assert.is(batches.length, before);
  assert.is(await repo.execute(ALICE, async () => null), null, 'a plan may decide to do nothing');
  assert.is(batches.length, before);
});

Repo('a malformed command is refused by the append (events are validated once, there), naming the field, never the value', async () => {
  const secretish = 'NOT-A-HASH-secretish';
  const command = { type: 'startLogin' as const, now: h.clock.now(), attemptId: 'a-1', keyId: 'k-1', stateHash: secretish, verifier: 'v1.x.y' as never };
  const before = batches.length;
  const err = await repo.execute(ALICE, async () => ({ command })).then(() => assert.unreachable('refused'), (e: unknown) => e);
  assert.instance(err, EventValidationError);
  assert.match((err as Error).message, /stateHash/);
  assert.not.ok((err as Error).message.includes('secretish'));
  assert.is(batches.length, before, 'nothing written');
  assert.is((await h.events(ALICE)).length, 0);
});

Repo('a second writer is met with one retry on a fresh load', async () => {
  await h.links.startLogin(ALICE);
  await repo.load(ALICE); // warm cache, about to go stale
  await outsideLoginStarted(ALICE, 1);
  let plans = 0;
  const result = await repo.execute(ALICE, async (snapshot) => {
    plans++;
    return { command: { type: 'expireLogin', now: h.clock.now() + 600_000, attemptId: snapshot.context.attempt!.attemptId } };
  });
  assert.is(plans, 2, 'decided again after the conflict');
  assert.equal(result!.decision.events, [{ type: 'LoginExpired', data: { at: h.clock.now() + 600_000, attemptId: 'outside-1' } }]);
  assert.equal((await h.events(ALICE)).map((e) => e.type), ['LoginStarted', 'LoginStarted', 'LoginExpired']);
});

Repo('a writer that keeps conflicting gets the VersionConflictError after one retry', async () => {
  await h.links.startLogin(ALICE);
  let plans = 0;
  await repo
    .execute(ALICE, async () => {
      await outsideLoginStarted(ALICE, ++plans);
      return { command: { type: 'unlink', now: h.clock.now() } };
    })
    .then(
      () => assert.unreachable('should conflict twice'),
      (err) => assert.instance(err, VersionConflictError),
    );
  assert.is(plans, 2);
  assert.is((await h.events(ALICE)).filter((e) => e.type === 'Unlinked').length, 0);
  assert.is((await h.links.status(ALICE)).state, 'awaitingCallback.pending', 'nothing half-written; the next load is fresh');
});

Repo('twenty /login at once for one user: twenty attempts in order, only the last key alive', async () => {
  const started = await Promise.all(Array.from({ length: 20 }, () => h.links.startLogin(ALICE)));
  assert.is(started.length, 20);
  const events = await h.events(ALICE);
  assert.is(events.length, 20);
  assert.ok(events.every((e) => e.type === 'LoginStarted'));
  const summary = await h.links.status(ALICE);
  const keyIds = events.flatMap((e) => (e.type === 'LoginStarted' ? [e.data.keyId] : []));
  assert.is(new Set(keyIds).size, 20);
  assert.is(summary.attempt!.keyId, keyIds[19]);
  for (const keyId of keyIds.slice(0, 19)) assert.is(await h.vault.hasDataKey(keyId), false);
  assert.is(await h.vault.hasDataKey(summary.attempt!.keyId), true);
});

Repo.run();
