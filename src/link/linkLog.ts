/**
 * How the link domain sits in the event log: one stream per Telegram user
 * (`link-<telegramUserId>`) and the registry of the machine's events with their versions.
 * Events are `{ type, data }` everywhere, so a stored envelope is a machine event as it is.
 */
import { createEventRegistry, defineEvent, type EventRegistry } from '../../eventlog/index.ts';
import {
  AccessRevokedV1, GrantReceivedV1, GrantReceivedV2, LinkConfirmedV1, LinkRejectedV1, LoginDeniedV1, LoginExpiredV1,
  LoginStartedV1, RefreshFailedV1, RefreshStartedV1, RelinkReminderSentV1, TokensRefreshedV1, UnlinkedV1, upcastGrantReceivedV1,
  type LinkEvent,
} from '../../machines/spotifyLink.events.ts';

/**
 * Every link event type with all its stored versions, oldest first: appends are at the
 * newest, older versions (e.g. `GrantReceived@1` with plaintext personal data) upcast on read.
 */
export const linkEventTypes = [
  defineEvent('LoginStarted', LoginStartedV1),
  defineEvent('LoginDenied', LoginDeniedV1),
  defineEvent('GrantReceived', GrantReceivedV1).upgrade(2, GrantReceivedV2, upcastGrantReceivedV1),
  defineEvent('LinkConfirmed', LinkConfirmedV1),
  defineEvent('LinkRejected', LinkRejectedV1),
  defineEvent('LoginExpired', LoginExpiredV1),
  defineEvent('RefreshStarted', RefreshStartedV1),
  defineEvent('TokensRefreshed', TokensRefreshedV1),
  defineEvent('RefreshFailed', RefreshFailedV1),
  defineEvent('AccessRevoked', AccessRevokedV1),
  defineEvent('RelinkReminderSent', RelinkReminderSentV1),
  defineEvent('Unlinked', UnlinkedV1),
] as const;

/** The registry the link log is opened with. */
export function createLinkRegistry(): EventRegistry<LinkEvent> {
  return createEventRegistry(linkEventTypes);
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
