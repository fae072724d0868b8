/**
 * Folds one user's link stream event by event through the machine's pure `evolve`, keeping
 * the state before and after each event: the core of `history`, `at` and the visualizer's
 * path of states. Nothing is decrypted and nothing is written.
 *
 * A stream the machine refuses (an event not applicable in the state it arrives in – a
 * corrupt log, or a machine change without an upcaster) is not hidden: the step carries a
 * `problem` and the state stays where it was, so the rest of the stream can still be read.
 *
 * @module
 */
import type { Envelope } from '../../../eventlog/index.ts';
import { isDomainError } from '../../../machines/domainError.ts';
import { evolve, initialLinkSnapshot, linkStateName, type LinkSnapshot, type LinkStateName } from '../../../machines/spotifyLink.machine.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';

/** One event of a stream with the machine state around it. */
export interface StreamStep {
  readonly event: Envelope<LinkEvent>;
  readonly before: LinkSnapshot;
  readonly after: LinkSnapshot;
  /** Why the machine refused this event (the state did not change), or undefined. */
  readonly problem: string | undefined;
}

/** The flat state name of a step's side. */
export const stateOf = (snapshot: LinkSnapshot): LinkStateName => linkStateName(snapshot);

/**
 * Applies one stored event to `before`; a refused event leaves the state as it was and says why.
 * @example const { after, problem } = stepLink(snapshot, envelope);
 */
export function stepLink(before: LinkSnapshot, event: Envelope<LinkEvent>): { after: LinkSnapshot; problem: string | undefined } {
  try {
    return { after: evolve(before, event), problem: undefined };
  } catch (err) {
    if (!isDomainError(err)) throw err;
    return { after: before, problem: `${event.type} is not applicable in state ${linkStateName(before)} (${err.code})` };
  }
}

/**
 * Every step of `events` (one stream, oldest first), starting from the empty link.
 * @example for (const s of walkStream(await store.readStream('link-42'))) console.log(stateOf(s.after));
 */
export function walkStream(events: readonly Envelope<LinkEvent>[]): StreamStep[] {
  const steps: StreamStep[] = [];
  let snapshot = initialLinkSnapshot();
  for (const event of events) {
    const { after, problem } = stepLink(snapshot, event);
    steps.push({ event, before: snapshot, after, problem });
    snapshot = after;
  }
  return steps;
}
