/**
 * Given / when / then for pure deciders (Emmett style):
 *
 * ```ts
 * const given = givenWhenThen({ initial, evolve, decide });
 * given([started()]).when(cmd.unlink()).then([unlinked()]);
 * given([]).when(cmd.unlink()).thenRejects('NOT_LINKED');
 * ```
 *
 * `then` / `thenRejects` return the states before and after the decision's events, for
 * assertions on the resulting state.
 */
import * as assert from 'uvu/assert';

/** A decider: fold events into state, turn a command into events and maybe a refusal. */
export interface Decider<S, C, E> {
  initial: () => S;
  evolve: (state: S, event: E) => S;
  decide: (state: S, command: C) => { events: E[]; error?: { code: string } };
}

/** What a finished given/when/then hands back for further assertions. */
export interface Outcome<S, E> {
  before: S;
  after: S;
  events: E[];
}

/** The `when` step: a command against the given history. */
export interface When<S, C, E> {
  when(command: C): Then<S, E>;
}

/** The `then` step: the expected events, or the expected refusal. */
export interface Then<S, E> {
  /** The command is accepted and emits exactly `expected`. */
  then(expected: E[]): Outcome<S, E>;
  /** The command is refused with `code`, emitting exactly `expected` (none by default). */
  thenRejects(code: string, expected?: E[]): Outcome<S, E>;
}

/** Builds `given(events)` for a decider. */
export function givenWhenThen<S, C, E>(decider: Decider<S, C, E>): (history: E[]) => When<S, C, E> {
  return (history) => ({
    when(command) {
      const before = history.reduce(decider.evolve, decider.initial());
      const decision = decider.decide(before, command);
      const outcome = (): Outcome<S, E> => ({
        before,
        after: decision.events.reduce(decider.evolve, before),
        events: decision.events,
      });
      return {
        then(expected) {
          assert.is(decision.error?.code, undefined, `expected acceptance, got ${decision.error?.code}`);
          assert.equal(decision.events, expected);
          return outcome();
        },
        thenRejects(code, expected = []) {
          assert.is(decision.error?.code, code, `expected refusal ${code}`);
          assert.equal(decision.events, expected);
          return outcome();
        },
      };
    },
  });
}
