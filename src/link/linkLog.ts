/**
 * How the link domain sits in the event log: one stream per Telegram user
 * (`link-<telegramUserId>`), the registry built from the machine's event schemas, and the
 * conversions between the log's envelopes and the machine's flat events.
 */
import { createEventRegistry, defineEvent, type Envelope, type EventRegistry } from '../../eventlog/index.ts';
import { linkEventSchemas, olderLinkEventVersions, toStoredLinkEvent, type LinkEvent } from '../../machines/spotifyLink.events.ts';

/** A link event as the log stores it: `{ type, data }`. */
export interface StoredEvent {
  type: LinkEvent['type'];
  data: Omit<LinkEvent, 'type'>;
}

/**
 * The registry of every link event type: appends at the current version, older versions
 * (e.g. `GrantReceived@1` with plaintext personal data) upcast on read.
 */
export function createLinkRegistry(): EventRegistry<StoredEvent> {
  const types = linkEventSchemas.map((e) => {
    const older = olderLinkEventVersions[e.type] ?? [];
    if (older.length === 0) return defineEvent(e.type, e.schema);
    // Each version's upcaster lives with the version before it; the newest comes last.
    let event = defineEvent(e.type, older[0]!.schema);
    for (let i = 1; i < older.length; i++) event = event.upgrade(older[i]!.v, older[i]!.schema, older[i - 1]!.upcast as never);
    return event.upgrade(e.v, e.schema, older[older.length - 1]!.upcast as never);
  });
  return createEventRegistry(types as never) as unknown as EventRegistry<StoredEvent>;
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
