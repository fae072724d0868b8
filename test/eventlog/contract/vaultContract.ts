/**
 * The token vault's contract on every event log backend: data keys created and shredded in
 * the same atomic write as the events, a wrong master key refused at open, rotation with a
 * re-wrap that never undoes a shred. Run by `leveldb.contract.test.ts` and
 * `postgres.contract.test.ts`, like the event log contract.
 */
import { randomBytes } from 'node:crypto';
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataKeyShreddedError, masterKey, MasterKeyMismatchError, NO_STREAM, VersionConflictError, type EventLog, type MasterKey, type TokenVault } from '../../../eventlog/index.ts';
import { rejects } from '../../helpers/rejects.ts';
import { Incremented, noteOf, type CounterEvent } from '../fixtures/counterEvents.ts';

/** One test's log and a way to open vaults on it (each call: a fresh instance, empty cache). */
export interface VaultHarness<Op> {
  store: EventLog<CounterEvent, Op>;
  vault(masterKeys: readonly MasterKey[]): Promise<TokenVault<Op>>;
  close(): Promise<void>;
}

/** A backend under test. */
export interface VaultBackend<Op> {
  name: string;
  open(): Promise<VaultHarness<Op>>;
}

const TOKEN = 'AQD-refresh-token-secret-0123456789';

/** Registers the vault contract for `backend`; the caller runs the returned suite. */
export function vaultContract<Op>(backend: VaultBackend<Op>): Test<{ h: VaultHarness<Op>; k1: MasterKey; k2: MasterKey }> {
  const test = suite<{ h: VaultHarness<Op>; k1: MasterKey; k2: MasterKey }>(`token vault contract: ${backend.name}`);
  test.before.each(async (ctx) => {
    ctx.h = await backend.open();
    ctx.k1 = masterKey(randomBytes(32));
    ctx.k2 = masterKey(randomBytes(32));
  });
  test.after.each(async (ctx) => ctx.h.close());

  test('a data key is created with the append that stores the first sealed value, and shredded with the one that unlinks', async ({ h, k1 }) => {
    const vault = await h.vault([k1]);
    const { ops } = vault.createDataKeyOps('link-9');
    const sealed = await vault.seal('link-9', TOKEN, 'tg:9');
    await h.store.appendToStream('link-9', [Incremented.of({ by: 1, note: sealed })], { expectedVersion: NO_STREAM, extraOps: ops });
    const stored = noteOf((await h.store.readStream('link-9'))[0]!);
    assert.is(await (await h.vault([k1])).open('link-9', stored, 'tg:9'), TOKEN, 'another vault instance reads the committed key');
    await rejects(
      h.store.appendToStream('link-9', [Incremented.of({ by: 2, note: '' })], { expectedVersion: NO_STREAM, extraOps: vault.shredOps('link-9') }),
      (e) => e instanceof VersionConflictError,
    );
    assert.is(await (await h.vault([k1])).open('link-9', stored, 'tg:9'), TOKEN, 'a rejected append shreds nothing');
    await h.store.appendToStream('link-9', [Incremented.of({ by: 2, note: '' })], { expectedVersion: 0, extraOps: vault.shredOps('link-9') });
    await rejects(vault.open('link-9', stored, 'tg:9'), (e) => e instanceof DataKeyShreddedError);
    const fresh = await h.vault([k1]);
    await rejects(fresh.open('link-9', stored, 'tg:9'), (e) => e instanceof DataKeyShreddedError);
    assert.is(await fresh.hasDataKey('link-9'), false);
  });

  test('a key created by an append that fails is not stored', async ({ h, k1 }) => {
    const vault = await h.vault([k1]);
    await h.store.appendToStream('link-1', [Incremented.of({ by: 1, note: '' })], { expectedVersion: NO_STREAM });
    const { ops } = vault.createDataKeyOps('link-1');
    await rejects(h.store.appendToStream('link-1', [Incremented.of({ by: 1, note: '' })], { expectedVersion: NO_STREAM, extraOps: ops }));
    assert.is(await (await h.vault([k1])).hasDataKey('link-1'), false);
  });

  test('a wrong master key is refused at open, naming key ids only', async ({ h, k1, k2 }) => {
    const vault = await h.vault([k1]);
    await vault.createDataKey('link-1');
    const err = await rejects(h.vault([k2]), (e) => e instanceof MasterKeyMismatchError);
    assert.match((err as Error).message, new RegExp(`wrapped by master key id ${k1.id}.*has ${k2.id}`));
    assert.not.ok((err as Error).message.includes(Buffer.from(k1.key).toString('base64')));
  });

  test('rotation: after a re-wrap the old master key can go, and a key shredded meanwhile stays shredded', async ({ h, k1, k2 }) => {
    const v1 = await h.vault([k1]);
    for (let i = 0; i < 300; i++) await v1.createDataKey(`l-${String(i).padStart(3, '0')}`);
    const sealed = await v1.seal('l-000', TOKEN, 'tg:1');
    const v2 = await h.vault([k2, k1]);
    const rewrapping = v2.rewrap();
    await h.store.appendToStream('l-299', [Incremented.of({ by: 1, note: '' })], { expectedVersion: NO_STREAM, extraOps: v2.shredOps('l-299') });
    const report = await rewrapping;
    assert.ok(report.rewrapped >= 299 && report.rewrapped <= 300);
    assert.equal(report.retiredKeyIds, [k1.id]);
    const v3 = await h.vault([k2]);
    assert.is(await v3.open('l-000', sealed, 'tg:1'), TOKEN);
    assert.is(await v3.hasDataKey('l-299'), false, 'the shred was not undone');
    await rejects(h.vault([k1]), (e) => e instanceof MasterKeyMismatchError);
  });

  return test;
}
