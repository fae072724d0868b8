/**
 * `replay at <userId> <position|ISO time>`: time travel – the user's link as it was after the
 * event at that stream position, or after the last event at or before that instant.
 *
 * @module
 */
import { initialLinkSnapshot } from '../../../machines/spotifyLink.machine.ts';
import { summarizeLink } from '../../link/summary.ts';
import { linkStream } from '../../link/linkLog.ts';
import { withReader, type Command } from './command.ts';
import { EXIT, ReplayError, usageError } from './errors.ts';
import { iso, parseUserId, userNotFound } from './format.ts';
import { redactSecretShapes } from './redact.ts';
import { stateOf, walkStream } from './walkStream.ts';

/** Where to stop: a stream position or an instant. */
export type AsOf = { position: number } | { time: string };

/**
 * Parses the `at` argument: digits are a stream position, anything else must be an ISO 8601
 * date or date-time (`2026-11-24`, `2026-11-24T12:00:00Z`).
 */
export function parseAsOf(text: string | undefined): AsOf {
  if (text && /^\d+$/.test(text)) return { position: Number(text) };
  const ms = text && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw usageError('expected a stream position (0, 1, …) or an ISO 8601 time such as 2026-11-24T12:00:00Z');
  }
  return { time: new Date(ms).toISOString() };
}

/** A summary as `key: value` lines, nested objects as dotted keys, instants as ISO. */
function describe(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const shown = typeof value === 'number' && /(^|\.)at$|At$/.test(prefix) ? iso(value) : Array.isArray(value) ? value.join(', ') || '—' : value === null ? '—' : String(value);
    return [`  ${prefix}: ${shown}`];
  }
  return Object.entries(value).flatMap(([k, v]) => describe(v, prefix ? `${prefix}.${k}` : k));
}

/** `replay at <userId> <position|ISO time>`. */
export const atCommand: Command = {
  name: 'at',
  args: ['<userId>', '<position|ISO time>'],
  summary: "a user's link state as it was at a stream position or a moment (time travel)",
  description:
    "Folds the user's stream up to and including the event at that stream position (0-based, as in\n" +
    '`history`), or every event whose time is at or before the given ISO 8601 instant, and prints the\n' +
    'state and its summary (no secrets: the summary never holds tokens or hashes). Before the first\n' +
    'event the user is `unlinked`.',
  acceptsCopy: true,
  acceptsDatabase: true,
  run: (ctx, args) => {
    const userId = parseUserId(args[0]);
    const asOf = parseAsOf(args[1]);
    return withReader(ctx, async (reader) => {
      const steps = walkStream(await reader.store.readStream(linkStream(userId)));
      if (steps.length === 0) throw userNotFound(userId);
      let count: number;
      if ('position' in asOf) {
        if (asOf.position >= steps.length) {
          throw new ReplayError('NOT_FOUND', `user ${userId} has ${steps.length} event(s): positions 0–${steps.length - 1}`);
        }
        count = asOf.position + 1;
      } else {
        const limit = Date.parse(asOf.time);
        count = steps.filter((s) => Date.parse(s.event.meta.time) <= limit).length;
      }
      const step = count > 0 ? steps[count - 1]! : undefined;
      const snapshot = step ? step.after : initialLinkSnapshot();
      // The Spotify user id and name are sealed: shown as ‹redacted› like every sealed value.
      const summary = redactSecretShapes(summarizeLink(snapshot));
      const event = step ? { position: step.event.meta.streamPosition, time: step.event.meta.time, type: step.event.type } : null;
      const state = stateOf(snapshot);
      const head = event ? `#${event.position} (${event.time} ${event.type})` : 'before its first event';
      const text =
        `user ${userId} as of ${'position' in asOf ? `position ${asOf.position}` : asOf.time}: ${state}\n` +
        `  last event applied: ${head}; ${steps.length - count} later event(s) not applied\n` +
        `summary:\n${describe(summary).join('\n')}\n`;
      return { exitCode: EXIT.ok, json: { userId, asOf, event, state, summary, eventsAfter: steps.length - count }, text };
    });
  },
};
