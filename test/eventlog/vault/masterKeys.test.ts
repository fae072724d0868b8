import { createHash, randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidMasterKeyError, masterKey, masterKeyFromBase64, masterKeyId, parseMasterKeyRing } from '../../../eventlog/index.ts';

const Keys = suite('master keys');

Keys('the key id is the first 8 hex digits of SHA-256("kid" + key)', () => {
  const key = randomBytes(32);
  const expected = createHash('sha256').update(Buffer.concat([Buffer.from('kid'), key])).digest('hex').slice(0, 8);
  assert.is(masterKeyId(key), expected);
  assert.equal(masterKey(key).id, expected);
});

Keys('base64 (standard or url-safe) of 32 bytes is accepted; anything else is named, not echoed', () => {
  const key = randomBytes(32);
  assert.is(masterKeyFromBase64(key.toString('base64')).id, masterKeyId(key));
  assert.is(masterKeyFromBase64(` ${key.toString('base64url')}\n`).id, masterKeyId(key));
  const short = randomBytes(16).toString('base64');
  try {
    masterKeyFromBase64(short);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, InvalidMasterKeyError);
    assert.is((err as InvalidMasterKeyError).code, 'MASTER_KEY_INVALID');
    assert.match((err as Error).message, /32 bytes, got 16/);
    assert.not.ok((err as Error).message.includes(short));
  }
  assert.throws(() => masterKeyFromBase64('not base64!'), /not base64/);
});

Keys('a comma-separated ring puts the active (first) key first and names a bad entry by number', () => {
  const [a, b] = [randomBytes(32), randomBytes(32)];
  const ring = parseMasterKeyRing(`${a.toString('base64')}, ${b.toString('base64')}`);
  assert.equal(ring.map((k) => k.id), [masterKeyId(a), masterKeyId(b)]);
  assert.throws(() => parseMasterKeyRing(`${a.toString('base64')},AAAA`), /key #2: a master key is 32 bytes/);
  assert.throws(() => parseMasterKeyRing(' , '), /no key given/);
});

Keys.run();
