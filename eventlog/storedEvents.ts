/**
 * Turning validated events into stored records and the envelopes readers will get back –
 * the one shape both backends write (LevelDB's `appender.ts`, PostgreSQL's `pgAppender.ts`).
 *
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import { EventValidationError } from './errors.ts';
import { positionKey } from './keys.ts';
import { encodeRecord } from './recordFormat.ts';
import type { EventRegistry } from './registry.ts';
import type { AnyEvent, Envelope } from './types.ts';

/** What an append holds once its events are validated. */
export interface ValidatedAppend {
  stream: string;
  events: readonly { type: string; v: number; data: unknown }[];
  correlationId: string;
}

/**
 * Builds the stored records and decodes them back, so that projections see exactly what a
 * rebuild will read. The decode trusts the fresh record (it was validated by
 * `registry.validate` before it was queued), so it is compared with what zod gave: data that
 * does not survive JSON (a `Date`, an `undefined` field) is refused here, as a later read
 * would not give it back.
 *
 * @param version the stream's version before the append; `position` the log head before it.
 * @throws {EventValidationError} for data that does not survive its JSON round trip.
 */
export function storedEvents<E extends AnyEvent>(
  registry: EventRegistry<any>,
  append: ValidatedAppend,
  version: number,
  position: number,
  time: string,
  eventIds: readonly string[],
): { raw: string; env: Envelope<E> }[] {
  return append.events.map((e, i) => {
    const meta = {
      eventId: eventIds[i]!,
      stream: append.stream,
      streamPosition: version + 1 + i,
      globalPosition: position + 1 + i,
      time,
      correlationId: append.correlationId,
    };
    const raw = encodeRecord(e.type, e.v, e.data, meta, registry.fingerprint(e.type, e.v));
    let env: Envelope<E>;
    try {
      env = registry.decode(raw, positionKey(meta.globalPosition), meta.globalPosition) as Envelope<E>;
    } catch (err) {
      throw new EventValidationError(e.type, `does not survive its own JSON round trip (${(err as Error).message})`);
    }
    if (!isDeepStrictEqual(env.data, e.data)) throw new EventValidationError(e.type, 'does not survive its own JSON round trip');
    return { raw, env };
  });
}
