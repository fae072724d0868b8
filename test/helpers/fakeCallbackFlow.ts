/**
 * A scripted {@link CallbackFlow} for HTTP tests: it records every call and answers by the
 * state it gets, consuming a pending state on first use like the real flow does.
 *
 * @example
 * const flow = createFakeCallbackFlow({ [STATE]: { kind: 'pending', completionId: 'c1' } });
 * // first callback with STATE → completed; the second → used
 */
import type { CallbackFlow, CallbackInput, CallbackOutcome, SpotifyFailure } from '../../src/link/ports.ts';

/** How the fake treats one state. Unknown states answer `unknownState`. */
export type FakeStateScript =
  | { kind: 'pending'; completionId: string }
  | { kind: 'expired' }
  | { kind: 'spotifyFailed'; reason: SpotifyFailure }
  | { kind: 'throws' };

export interface FakeCallbackFlow extends CallbackFlow {
  readonly calls: Array<{ input: CallbackInput; ctx: { readonly correlationId: string } }>;
}

export function createFakeCallbackFlow(script: Record<string, FakeStateScript>): FakeCallbackFlow {
  const used = new Set<string>();
  const calls: FakeCallbackFlow['calls'] = [];
  return {
    calls,
    async handleCallback(input, ctx): Promise<CallbackOutcome> {
      calls.push({ input, ctx });
      // Own keys only: a state such as `__lookupGetter__` is unknown, not Object.prototype's.
      const entry = Object.hasOwn(script, input.state) ? script[input.state] : undefined;
      if (entry === undefined) return { kind: 'unknownState' };
      if (entry.kind === 'throws') throw new Error('the fake flow exploded');
      if (entry.kind === 'expired') return { kind: 'expired' };
      if (used.has(input.state)) return { kind: 'used' };
      used.add(input.state);
      if (input.error !== undefined) return { kind: 'denied' };
      if (entry.kind === 'spotifyFailed') return { kind: 'spotifyFailed', retryable: entry.reason === 'spotifyUnavailable', reason: entry.reason };
      return { kind: 'completed', completionId: entry.completionId };
    },
  };
}
