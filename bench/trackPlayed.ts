/**
 * The event the event-log benchmarks append (`eventlog.ts`, `scale.ts`): one small
 * `TrackPlayed` per play, and a row per user like `link_state`.
 *
 * @module
 */
import { z } from 'zod';
import { createEventRegistry, defineEvent, type EventOf, type Projection } from '../eventlog/index.ts';

export const Played = defineEvent('TrackPlayed', z.object({ track: z.string(), ms: z.number().int() }));
export type BenchEvent = EventOf<typeof Played>;
export const registry = createEventRegistry([Played]);

/** One row per user: how many events and the last track – like `link_state`. */
export const perUser: Projection<BenchEvent, { n: number; track: string }> = {
  name: 'per_user',
  version: 1,
  evolve(e, table) {
    const row = table.get(e.meta.stream);
    table.put(e.meta.stream, { n: (row?.n ?? 0) + 1, track: e.data.track });
  },
};
