/**
 * One user's state is O(1), on the real store: the machine context keeps only the live data
 * keys (the link's and a pending login's) and an ended key is shredded in the batch that ends
 * it, so 2,000 logins by one user through the link service neither grow their `link_state` row
 * nor the bytes each append writes. (Machine version 1 kept every ended key in the context:
 * after 2,000 logins the row was 166 KB and an append wrote 127 KB instead of 45 KB.) The same
 * for 10,000 logins through `decide` is in `test/machines/spotifyLink.bounded.test.ts`; this
 * file keeps to 2,000 so the suite stays fast on a busy machine.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BatchOp } from '../../eventlog/index.ts';
import { linkStream } from '../../src/link/linkLog.ts';
import { openLinkTables, type LinkStateRow } from '../../src/link/linkTables.ts';
import { restoreSnapshot, snapshotRow } from '../../src/link/projections.ts';
import { startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

const ALICE = 1001;
const LOGINS = 2_000;
/** Past the `/login` limit's spacing (5 per 10 minutes), so every login is allowed. */
const STEP_MS = 2 * 60_000 + 1;

const State = suite('per-user link state stays O(1)');
let h: LinkHarness;

State.before.each(async () => {
  h = await startLinkHarness();
});
State.after.each(async () => {
  await h.close();
});

const opBytes = (op: BatchOp): number =>
  Buffer.byteLength(String(op.key)) + (op.type === 'put' ? Buffer.byteLength(String(op.value)) : 0);

State(`${LOGINS.toLocaleString('en')} /login by one user: the row stays under 4 KB and every append writes as much as the first`, async () => {
  const written: number[] = []; // bytes of each atomic batch, in order
  const db = h.store.db as unknown as { batch: (ops: BatchOp[], o: unknown) => Promise<void> };
  const real = db.batch.bind(db);
  db.batch = (ops, o) => {
    if (Array.isArray(ops)) written.push(ops.reduce((n, op) => n + opBytes(op), 0));
    return real(ops, o);
  };
  const rowBytes = async () =>
    Buffer.byteLength(JSON.stringify(await openLinkTables(h.store).linkState.get(ALICE)));

  // A linked user re-linking keeps both live keys (the link's and the attempt's) in play.
  await h.link(ALICE);
  let rowAfter500 = 0;
  let maxRow = 0;
  for (let i = 1; i <= LOGINS; i++) {
    h.clock.advance(STEP_MS);
    await h.links.startLogin(ALICE);
    if (i % 500 === 0) {
      const bytes = await rowBytes();
      maxRow = Math.max(maxRow, bytes);
      if (i === 500) rowAfter500 = bytes;
    }
  }
  const logins = written.slice(-LOGINS);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(logins.slice(0, 500));
  const last = mean(logins.slice(-500));
  const finalRow = await rowBytes();
  console.log(`  link_state row: ${rowAfter500} B after 500 logins, ${finalRow} B after ${LOGINS}; bytes per append: first 500 ${first.toFixed(0)}, last 500 ${last.toFixed(0)}`);

  assert.ok(maxRow < 4096, `the link_state row stays under 4 KB (largest ${maxRow} B)`);
  assert.ok(Math.abs(finalRow - rowAfter500) < 64, 'the row does not grow with the number of logins');
  assert.ok(last < first * 1.05, `an append writes as much at the end as at the start (${first.toFixed(0)} → ${last.toFixed(0)} B)`);

  // Every ended key is gone; the link's and the last attempt's keys are alive.
  const status = await h.links.status(ALICE);
  assert.is(status.state, 'awaitingCallback.pending');
  assert.is(await h.vault.hasDataKey(status.link!.keyId), true);
  assert.is(await h.vault.hasDataKey(status.attempt!.keyId), true);
  const started = (await h.events(ALICE)).flatMap((e) => (e.type === 'LoginStarted' ? [e.data.keyId] : []));
  assert.is(started.length, LOGINS + 1);
  for (const keyId of started.slice(-50, -1)) assert.is(await h.vault.hasDataKey(keyId), false, 'a superseded attempt’s key is shredded');
});

State('a row written by machine version 1 (with its list of ended keys) loads without the list', async () => {
  await h.link(ALICE);
  await h.links.startLogin(ALICE);
  const row = (await openLinkTables(h.store).linkState.get(ALICE))!;
  const v1 = { ...row, snapshot: { ...row.snapshot, context: { ...row.snapshot.context, endedKeyIds: ['k-old-1', 'k-old-2'] } } };
  const restored = restoreSnapshot(v1 as LinkStateRow);
  assert.equal(restored.value, row.snapshot.value);
  assert.equal(restored.context, row.snapshot.context, 'same state, no ended keys carried along');
  assert.equal(snapshotRow(restored, row.version), row);
  assert.is(await h.store.streamVersion(linkStream(ALICE)), row.version);
});

State.run();
