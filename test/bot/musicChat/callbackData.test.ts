import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCallbackData, parseCallbackData } from '../../../src/bot/callbackData.ts';
import { cancelData, pickData, sendAllData, stopAllData } from '../../../src/bot/musicChat/callbackData.ts';

const C = suite('music callback data');

C('cancel and pick buttons round-trip and fit in 64 bytes', () => {
  const jobId = '0f8c7a52-3b1e-4c6d-9a2f-5e4d3c2b1a09';
  assert.equal(parseCallbackData(cancelData(jobId)), { kind: 'music', action: { kind: 'cancel', jobId } });
  assert.ok(Buffer.byteLength(cancelData(jobId)) <= 64);
  assert.equal(parseCallbackData(pickData('AbCdEf_-12', 2)), { kind: 'music', action: { kind: 'pick', choiceId: 'AbCdEf_-12', index: 2 } });
  assert.ok(Buffer.byteLength(pickData('AbCdEf_-12', 99)) <= 64);
});

C('Send all and Stop round-trip through the shared encoder', () => {
  assert.equal(parseCallbackData(sendAllData('AbCdEf_-12')), { kind: 'music', action: { kind: 'sendAll', choiceId: 'AbCdEf_-12' } });
  assert.equal(parseCallbackData(stopAllData()), { kind: 'music', action: { kind: 'stopAll' } });
  assert.is(encodeCallbackData({ kind: 'music', action: { kind: 'sendAll', choiceId: 'AbCdEf_-12' } }), sendAllData('AbCdEf_-12'));
  assert.is(encodeCallbackData({ kind: 'music', action: { kind: 'stopAll' } }), stopAllData());
});

C('forged and stale music data parse as null', () => {
  for (const data of ['mu:x:', 'mu:x:ABC', 'mu:x:1z', 'mu:x:0F8C7A52-3B1E-4C6D-9A2F-5E4D3C2B1A09x', 'mu:p:short:1', 'mu:p:AbCdEf_-12:-1', 'mu:p:AbCdEf_-12:123', 'mu:zz', 'mu:a:short', 'mu:a:AbCdEf_-12x', 'mu:z:1', 'mu2:x:1z', '']) {
    assert.is(parseCallbackData(data), null, data);
  }
});

C.run();
