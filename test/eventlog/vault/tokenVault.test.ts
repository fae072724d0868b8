import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DataKeyShreddedError,
  DecryptError,
  InvalidMasterKeyError,
  MasterKeyMismatchError,
  masterKey,
  NO_STREAM,
  openEventStore,
  openTokenVault,
  type MasterKey,
  type RootDb,
} from '../../../eventlog/index.ts';
import { Incremented, memoryDb, noteOf, registry } from '../fixtures/counterEvents.ts';
import { rejects } from '../../helpers/rejects.ts';

const Vault = suite<{ db: RootDb; k1: MasterKey; k2: MasterKey }>('token vault');

Vault.before.each((ctx) => {
  ctx.db = memoryDb();
  ctx.k1 = masterKey(randomBytes(32));
  ctx.k2 = masterKey(randomBytes(32));
});
Vault.after.each(async ({ db }) => db.close());

const TOKEN = 'AQD-refresh-token-secret-0123456789';

Vault('a sealed value opens again with the same link and associated data', async ({ db, k1 }) => {
  const vault = await openTokenVault({ db, masterKeys: [k1] });
  await vault.createDataKey('link-1');
  const sealed = await vault.seal('link-1', TOKEN, 'tg:42');
  assert.match(sealed, /^v1\.[0-9a-f]{8}\./, 'compact, versioned format');
  assert.not.match(sealed, /refresh-token/);
  assert.is.not(await vault.seal('link-1', TOKEN, 'tg:42'), sealed, 'a fresh IV every time');
  assert.is(await vault.open('link-1', sealed, 'tg:42'), TOKEN);
  // A fresh vault instance (no cache) unwraps the stored key.
  const again = await openTokenVault({ db, masterKeys: [k1] });
  assert.is(await again.open('link-1', sealed, 'tg:42'), TOKEN);
});

Vault('a ciphertext moved to another user or link fails, and the error carries no secret', async ({ db, k1 }) => {
  const vault = await openTokenVault({ db, masterKeys: [k1] });
  await vault.createDataKey('link-1');
  await vault.createDataKey('link-2');
  const sealed = await vault.seal('link-1', TOKEN, 'tg:42');
  for (const [link, aad] of [['link-1', 'tg:43'], ['link-2', 'tg:42'], ['link-2', 'tg:43']] as const) {
    const err = await rejects(vault.open(link, sealed, aad), (e) => e instanceof DecryptError);
    const e = err as DecryptError;
    assert.is(e.code, 'DECRYPT_FAILED');
    const everything = JSON.stringify({ ...e, message: e.message, stack: e.stack });
    for (const secret of [TOKEN, sealed, 'tg:4']) assert.not.ok(everything.includes(secret), `error leaks ${secret.slice(0, 6)}…`);
  }
  const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
  await rejects(vault.open('link-1', tampered, 'tg:42'), (e) => e instanceof DecryptError);
  await rejects(vault.open('link-1', 'not-sealed', 'tg:42'), /not a sealed value/);
});

Vault('after shred every old ciphertext of the link throws DataKeyShreddedError', async ({ db, k1 }) => {
  const vault = await openTokenVault({ db, masterKeys: [k1] });
  await vault.createDataKey('link-1');
  const sealed = await vault.seal('link-1', TOKEN, 'tg:42');
  assert.is(await vault.open('link-1', sealed, 'tg:42'), TOKEN, 'the key is now cached');
  await vault.shred('link-1');
  const err = await rejects(vault.open('link-1', sealed, 'tg:42'), (e) => e instanceof DataKeyShreddedError);
  assert.is((err as DataKeyShreddedError).code, 'DATA_KEY_SHREDDED');
  await rejects(vault.seal('link-1', TOKEN, 'tg:42'), (e) => e instanceof DataKeyShreddedError);
  assert.is(await vault.hasDataKey('link-1'), false);
  const fresh = await openTokenVault({ db, masterKeys: [k1] });
  await rejects(fresh.open('link-1', sealed, 'tg:42'), (e) => e instanceof DataKeyShreddedError);
});

Vault('data key creation and shredding ride in the same atomic batch as events', async ({ db, k1 }) => {
  const store = await openEventStore({ db, registry });
  const vault = await openTokenVault({ db, masterKeys: [k1], runExclusive: store.runExclusive });
  const { ops } = vault.createDataKeyOps('link-9');
  const sealed = await vault.seal('link-9', TOKEN, 'tg:9'); // usable before the write
  await store.appendToStream('link-9', [Incremented.of({ by: 1, note: sealed })], { expectedVersion: NO_STREAM, extraOps: ops });
  const stored = noteOf((await store.readStream('link-9'))[0]!);
  assert.is(await (await openTokenVault({ db, masterKeys: [k1] })).open('link-9', stored, 'tg:9'), TOKEN);
  // A conflicting append carrying the shred writes nothing: the key survives.
  await rejects(
    store.appendToStream('link-9', [Incremented.of({ by: 2, note: '' })], { expectedVersion: NO_STREAM, extraOps: vault.shredOps('link-9') }),
    /expected -1/,
  );
  assert.is(await vault.open('link-9', stored, 'tg:9'), TOKEN);
  await store.appendToStream('link-9', [Incremented.of({ by: 2, note: '' })], { expectedVersion: 0, extraOps: vault.shredOps('link-9') });
  await rejects(vault.open('link-9', stored, 'tg:9'), (e) => e instanceof DataKeyShreddedError);
  await store.close();
});

Vault('a wrong master key is detected at open in one clear line', async ({ db, k1, k2 }) => {
  const vault = await openTokenVault({ db, masterKeys: [k1] });
  await vault.createDataKey('link-1');
  const err = await rejects(openTokenVault({ db, masterKeys: [k2] }), (e) => e instanceof MasterKeyMismatchError);
  const e = err as MasterKeyMismatchError;
  assert.is(e.code, 'MASTER_KEY_MISMATCH');
  assert.not.ok(e.message.includes('\n'));
  assert.match(e.message, new RegExp(`wrapped by master key id ${k1.id}.*has ${k2.id}`));
  assert.not.ok(e.message.includes(Buffer.from(k1.key).toString('base64')));
});

Vault('rotation: old data keys still open under a new active key; after rewrap the old key can go', async ({ db, k1, k2 }) => {
  const v1 = await openTokenVault({ db, masterKeys: [k1] });
  await v1.createDataKey('old-link');
  const oldSealed = await v1.seal('old-link', TOKEN, 'tg:1');
  // Step 1: add the new key as active, keep the old one in the ring.
  const v2 = await openTokenVault({ db, masterKeys: [k2, k1] });
  assert.is(v2.activeKeyId, k2.id);
  assert.is(await v2.open('old-link', oldSealed, 'tg:1'), TOKEN);
  await v2.createDataKey('new-link');
  const newSealed = await v2.seal('new-link', 'fresh', 'tg:2');
  await rejects(openTokenVault({ db, masterKeys: [k2] }), (e) => e instanceof MasterKeyMismatchError);
  // Step 2: rewrap, then the old master key is retired.
  const report = await v2.rewrap();
  assert.equal(report, { rewrapped: 1, retiredKeyIds: [k1.id] });
  assert.equal(await v2.rewrap(), { rewrapped: 0, retiredKeyIds: [] }, 'rewrap is idempotent');
  const v3 = await openTokenVault({ db, masterKeys: [k2] });
  assert.is(await v3.open('old-link', oldSealed, 'tg:1'), TOKEN);
  assert.is(await v3.open('new-link', newSealed, 'tg:2'), 'fresh');
  await rejects(openTokenVault({ db, masterKeys: [k1] }), (e) => e instanceof MasterKeyMismatchError);
});

Vault('rewrap goes through many chunks and never brings back a shredded key', async ({ db, k1, k2 }) => {
  const v1 = await openTokenVault({ db, masterKeys: [k1] });
  for (let i = 0; i < 600; i++) await v1.createDataKey(`l-${String(i).padStart(3, '0')}`);
  const v2 = await openTokenVault({ db, masterKeys: [k2, k1] });
  const rewrapping = v2.rewrap();
  await v2.shred('l-599');
  const report = await rewrapping;
  assert.ok(report.rewrapped >= 599);
  assert.is(await v2.hasDataKey('l-599'), false);
  assert.is(await v2.hasDataKey('l-000'), true);
});

Vault('a ring that cannot work is refused before anything is read', async ({ db, k1 }) => {
  await rejects(openTokenVault({ db, masterKeys: [] }), (e) => e instanceof InvalidMasterKeyError);
  await rejects(openTokenVault({ db, masterKeys: [k1, k1] }), /twice/);
  await rejects(openTokenVault({ db, masterKeys: [{ id: 'deadbeef', key: k1.key }] }), /not derived from its key/);
  await rejects(openTokenVault({ db, masterKeys: [k1], activeKeyId: 'cafebabe' }), /not in the ring/);
});

Vault.run();
