import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCallbackData } from '../../../src/bot/callbackData.ts';
import { cancelData, pickData } from '../../../src/bot/musicChat/callbackData.ts';

const C = suite('music callback data');

C('cancel and pick buttons round-trip and fit in 64 bytes', () => {
  assert.equal(parseCallbackData(cancelData('1z')), { kind: 'music', action: { kind: 'cancel', jobId: '1z' } });
  assert.equal(parseCallbackData(pickData('AbCdEf_-12', 2)), { kind: 'music', action: { kind: 'pick', choiceId: 'AbCdEf_-12', index: 2 } });
  assert.ok(Buffer.byteLength(pickData('AbCdEf_-12', 99)) <= 64);
});

C('forged and stale music data parse as null', () => {
  for (const data of ['mu:x:', 'mu:x:ABC', 'mu:p:short:1', 'mu:p:AbCdEf_-12:-1', 'mu:p:AbCdEf_-12:123', 'mu:zz', 'mu2:x:1z', '']) {
    assert.is(parseCallbackData(data), null, data);
  }
});

C.run();
