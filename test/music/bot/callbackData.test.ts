import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cancelData, parseMusicData, pickData } from '../../../src/bot/music/callbackData.ts';

const C = suite('music callback data');

C('cancel and pick buttons round-trip and fit in 64 bytes', () => {
  assert.equal(parseMusicData(cancelData('1z')), { kind: 'cancel', jobId: '1z' });
  assert.equal(parseMusicData(pickData('AbCdEf_-12', 2)), { kind: 'pick', choiceId: 'AbCdEf_-12', index: 2 });
  assert.ok(Buffer.byteLength(pickData('AbCdEf_-12', 99)) <= 64);
});

C("forged, stale and other features' data parse as null", () => {
  for (const data of ['mu:x:', 'mu:x:ABC', 'mu:p:short:1', 'mu:p:AbCdEf_-12:-1', 'mu:p:AbCdEf_-12:123', 'dl:4uLU6hMCjMI75M1A2tKUQC', 'mu:zz', '']) {
    assert.is(parseMusicData(data), null, data);
  }
});

C.run();
