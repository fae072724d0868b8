import { MemoryLevel } from 'memory-level';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { masterKey, MasterKeyMismatchError, openTokenVault, type RootDb } from '../../eventlog/index.ts';
import { rewrapIfRotating } from '../../src/storage/keyRotation.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';

const Rotation = suite('master key rotation at start-up');

const OLD = masterKey(Buffer.alloc(32, 1));
const NEW = masterKey(Buffer.alloc(32, 2));

async function dataDirWithOldKey() {
  const db = new MemoryLevel() as unknown as RootDb;
  await db.open();
  const vault = await openTokenVault({ db, masterKeys: [OLD] });
  await vault.createDataKey('link-1');
  const sealed = await vault.seal('link-1', 'refresh-token-of-user-1', '1');
  return { db, sealed };
}

Rotation('with previous keys configured, every data key is re-wrapped and the old key can be dropped', async () => {
  const { db, sealed } = await dataDirWithOldKey();
  const log = createMemoryLogger();
  const vault = await openTokenVault({ db, masterKeys: [NEW, OLD] });
  const report = await rewrapIfRotating(vault, 1, log.logger);
  assert.equal(report, { rewrapped: 1, retiredKeyIds: [OLD.id] });
  assert.match(log.text(), /remove TOKEN_ENCRYPTION_KEYS_PREVIOUS and restart/);
  assert.not.ok(log.text().includes(Buffer.from(OLD.key).toString('base64')), 'no key material in the log');

  const onlyNew = await openTokenVault({ db, masterKeys: [NEW] });
  assert.is(await onlyNew.open('link-1', sealed, '1'), 'refresh-token-of-user-1', 'tokens sealed before the rotation still open');
  try {
    await openTokenVault({ db, masterKeys: [OLD] });
    assert.unreachable('the old key alone must not open the data dir any more');
  } catch (err) {
    assert.instance(err, MasterKeyMismatchError);
  }
  await db.close();
});

Rotation('without previous keys nothing is re-wrapped', async () => {
  const { db } = await dataDirWithOldKey();
  let called = false;
  const report = await rewrapIfRotating({ activeKeyId: OLD.id, rewrap: async () => ((called = true), { rewrapped: 0, retiredKeyIds: [] }) }, 0, createMemoryLogger().logger);
  assert.is(report, undefined);
  assert.not.ok(called);
  await db.close();
});

Rotation('a second start with the same ring finds nothing left to re-wrap', async () => {
  const { db } = await dataDirWithOldKey();
  const log = createMemoryLogger();
  await rewrapIfRotating(await openTokenVault({ db, masterKeys: [NEW, OLD] }), 1, log.logger);
  const again = await rewrapIfRotating(await openTokenVault({ db, masterKeys: [NEW, OLD] }), 1, log.logger);
  assert.equal(again, { rewrapped: 0, retiredKeyIds: [] });
  await db.close();
});

Rotation.run();
