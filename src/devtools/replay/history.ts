/**
 * `replay history <userId>`: each event of the user's stream with its position, time, type,
 * the machine state before → after, and its data with every secret redacted.
 *
 * @module
 */
import { linkStream } from '../../link/linkLog.ts';
import { withReader, type Command } from './command.ts';
import { EXIT, usageError } from './errors.ts';
import { keyValues, parseUserId, userNotFound } from './format.ts';
import { redactEventData } from './redact.ts';
import { stateOf, walkStream, type StreamStep } from './walkStream.ts';

/** One event of `replay history --json`. */
export interface HistoryLine {
  position: number;
  globalPosition: number;
  time: string;
  type: string;
  v: number;
  before: string;
  after: string;
  /** The event's data, secrets shown as `‹redacted›`. */
  data: Record<string, unknown>;
  /** Present when the machine refused the event (the state did not change). */
  problem?: string;
}

/** A step as printed: nothing sealed or hashed survives {@link redactEventData}. */
export function historyLine(step: StreamStep): HistoryLine {
  const { event } = step;
  return {
    position: event.meta.streamPosition,
    globalPosition: event.meta.globalPosition,
    time: event.meta.time,
    type: event.type,
    v: event.v,
    before: stateOf(step.before),
    after: stateOf(step.after),
    data: redactEventData(event.type, event.data),
    ...(step.problem ? { problem: step.problem } : {}),
  };
}

function lastOption(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < 1) throw usageError('--last needs a positive number of events');
  return n;
}

/** `replay history <userId>`. */
export const historyCommand: Command = {
  name: 'history',
  args: ['<userId>'],
  summary: "a user's events with the state before → after each (secrets redacted)",
  description:
    "Replays the user's stream (link-<userId>) through the link machine and prints, per event, its\n" +
    'stream position (and global position), time, type, the state before → after, and its data.\n' +
    'Sealed tokens, the PKCE verifier, the Spotify user id and name and the state/completion hashes print as ‹redacted›.\n' +
    'An event the machine refuses is marked and leaves the state unchanged (exit 1).',
  options: { last: { type: 'string', valueName: '<n>', description: 'show only the last n events (the fold still starts at 0)' } },
  acceptsCopy: true,
  acceptsDatabase: true,
  run: (ctx, args) => {
    const userId = parseUserId(args[0]);
    const last = lastOption(ctx.options['last']);
    return withReader(ctx, async (reader) => {
      const stream = linkStream(userId);
      const steps = walkStream(await reader.store.readStream(stream));
      if (steps.length === 0) throw userNotFound(userId);
      const lines = steps.map(historyLine);
      const shown = last === undefined ? lines : lines.slice(-last);
      const state = lines.at(-1)!.after;
      const problems = lines.filter((l) => l.problem).length;
      const typeWidth = Math.max(...shown.map((l) => l.type.length));
      const posWidth = Math.max(...shown.map((l) => String(l.position).length));
      const text =
        `user ${userId} (${stream}): ${lines.length} event(s), now ${state}\n` +
        shown
          .map(
            (l) =>
              `#${String(l.position).padEnd(posWidth)}  ${l.time}  ${l.type.padEnd(typeWidth)}  ${l.before} → ${l.after}  (global ${l.globalPosition})\n` +
              `    ${keyValues(l.data)}\n` +
              (l.problem ? `    problem: ${l.problem}\n` : ''),
          )
          .join('') +
        (problems ? `${problems} event(s) did not apply: the stream does not fold cleanly\n` : '');
      return {
        exitCode: problems ? EXIT.problem : EXIT.ok,
        json: { userId, stream, state, events: shown, total: lines.length, problems },
        text,
      };
    });
  },
};
