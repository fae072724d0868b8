/**
 * Callback data: what the bot puts on buttons round-trips, fits Telegram's 64 bytes, and
 * anything else a client might send (forged, stale, foreign) reads as "not ours".
 */
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CallbackDataError, encodeCallbackData, parseCallbackData, type CallbackAction } from '../../src/bot/callbackData.ts';

const Data = suite('callback data');

Data('each button kind round-trips in a short string', () => {
  const actions: CallbackAction[] = [
    { kind: 'download', trackId: '4uLU6hMCjMI75M1A2tKUQC' },
    { kind: 'recent', page: 4, ownerId: 9_007_199_254 },
    { kind: 'unlink', step: 'yes' },
    { kind: 'unlink', step: 'ask' },
    { kind: 'login', step: 'go' },
  ];
  assert.equal(actions.map(encodeCallbackData), ['dl:4uLU6hMCjMI75M1A2tKUQC', 'rc:4:9007199254', 'ul:yes', 'ul:ask', 'lg:go']);
  for (const a of actions) assert.equal(parseCallbackData(encodeCallbackData(a)), a);
});

Data('forged, stale and foreign data is refused', () => {
  for (const data of [undefined, '', 'dl:', 'dl:abc/def', 'dl:' + 'a'.repeat(41), 'rc:5:1', 'rc:-1:1', 'rc:1:0', 'rc:1', 'rc2:1:1', 'ul:maybe', 'lg:', 'zz:1', 'dl1x:a', 'mc:pick:3', 'x'.repeat(65)]) {
    assert.is(parseCallbackData(data), null, String(data));
  }
});

Data('an action that cannot be put on a button is refused when encoding', () => {
  assert.throws(() => encodeCallbackData({ kind: 'download', trackId: 'has spaces' }), (e: unknown) => e instanceof CallbackDataError);
  assert.throws(() => encodeCallbackData({ kind: 'recent', page: 7, ownerId: 1 }), (e: unknown) => e instanceof CallbackDataError);
});

Data('no string makes the parser throw, and what it accepts re-encodes to itself', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string().map((s) => `dl:${s}`), fc.string().map((s) => `rc:${s}`)), (s) => {
      const parsed = parseCallbackData(s);
      if (parsed) assert.is(encodeCallbackData(parsed), s);
    }),
  );
});

Data.run();
