/**
 * `await rejects(promise, matcher?)`: uvu 0.5 has no async `assert.rejects`. The matcher is
 * a regex for the message or a predicate on the error; without one any rejection passes.
 * Returns the error for more checks, and fails the test when the promise resolves.
 */
import * as assert from 'uvu/assert';

export async function rejects(promise: Promise<unknown>, matcher?: RegExp | ((err: unknown) => boolean)): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    if (matcher) {
      const ok = matcher instanceof RegExp ? matcher.test((err as Error)?.message ?? '') : matcher(err);
      assert.ok(ok, `rejected with an unexpected error: ${(err as Error)?.message ?? String(err)}`);
    }
    return err;
  }
  assert.unreachable('expected a rejection');
}
