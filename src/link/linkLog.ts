/**
 * How the link domain sits in the event log: one stream per Telegram user
 * (`link-<telegramUserId>`), the registry built from the machine's event schemas, and the
 * conversions between the log's envelopes and the machine's flat events.
 */
import { createEventRegistry, defineEvent, type Envelope, type EventRegistry } from '../../eventlog/index.ts';
import { linkEventSchemas, toStoredLinkEvent, type LinkEvent } from '../../machines/spotifyLink.events.ts';

/** A link event as the log stores it: `{ type, data }`. */
export interface StoredEvent {
  type: LinkEvent['type'];
  data: Omit<LinkEvent, 'type'>;
}

/** The registry of every link event type at its current version. */
export function createLinkRegistry(): EventRegistry<StoredEvent> {
  return createEventRegistry(linkEventSchemas.map((e) => defineEvent(e.type, e.schema))) as unknown as EventRegistry<StoredEvent>;
}

const STREAM_PREFIX = 'link-';

/** The stream of one Telegram user's link. */
export function linkStream(userId: number): string {
  return `${STREAM_PREFIX}${userId}`;
}

/** The Telegram user id of a link stream, or undefined for another stream. */
export function userIdOfStream(stream: string): number | undefined {
  if (!stream.startsWith(STREAM_PREFIX)) return undefined;
  const id = Number(stream.slice(STREAM_PREFIX.length));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** The machine's view of a stored envelope (already validated by the registry). */
export function toLinkEvent(envelope: Envelope<StoredEvent>): LinkEvent {
  return { type: envelope.type, ...(envelope.data as object) } as LinkEvent;
}

/** The log's view of a machine event. */
export function toStored(event: LinkEvent): StoredEvent {
  const { type, data } = toStoredLinkEvent(event);
  return { type, data } as StoredEvent;
}
