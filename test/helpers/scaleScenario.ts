/**
 * The people and the bookkeeping of the scale-out end-to-end test (`test/scale.postgres.test.ts`):
 * fifty listeners – some linked to Spotify with an access token that has expired by the time
 * they send `/now`, some linked with a fresh one, the rest not linked – each with the music
 * links they send, and what the fake Bot API saw, sorted by the update it answers.
 *
 * A reply is tied to its update the way a user sees it: a link's progress message and audio
 * quote the link's message (`reply_parameters`); the one other message a listener gets after
 * the links go out is the answer to their one `/now`.
 */
import type { Update, User } from 'grammy/types';
import type { ApiCall, FakeBotApi } from './fakeBotApi.ts';

/** How a listener's Spotify stands when the run begins. */
export type SpotifyLink = 'expired' | 'fresh' | 'none';

/** One of the simulated users. */
export interface Listener {
  readonly tg: User;
  /** Their Spotify account's id at the fake (linked listeners only). */
  readonly spotifyId?: string;
  readonly spotify: SpotifyLink;
  /** The YouTube video ids of the links they send before the kills. */
  readonly videos: string[];
}

/** A link everybody in a handful of chats sends: the same audio, perhaps from the shared file_id cache. */
export const POPULAR = 'popular0000';

/** A YouTube video id (11 characters) for link `k` of listener `i`. */
export const videoId = (i: number, k: number) => `v${String(i * 10 + k).padStart(10, '0')}`;

/** The message a listener sends for a video. */
export const linkText = (video: string) => `listen to this https://www.youtube.com/watch?v=${video}`;

/**
 * The fifty: 15 with an expired token, 10 with a fresh one, 25 not linked. Everyone sends one
 * link of their own; every tenth (from the 4th) two more; every tenth (from the 8th) the popular one too.
 */
export function listeners(bot: FakeBotApi): Listener[] {
  return Array.from({ length: 50 }, (_, i) => {
    const spotify: SpotifyLink = i < 15 ? 'expired' : i < 25 ? 'fresh' : 'none';
    const videos = [videoId(i, 0), ...(i % 10 === 3 ? [videoId(i, 1), videoId(i, 2)] : []), ...(i % 10 === 7 ? [POPULAR] : [])];
    return { tg: bot.createUser({ languageCode: 'en' }), ...(spotify !== 'none' && { spotifyId: `listener${i}` }), spotify, videos };
  });
}

/** One update a listener sent during the run. */
export interface SentUpdate {
  readonly listener: Listener;
  readonly update: Update;
  /** The video of a link message; undefined for `/now`. */
  readonly video?: string;
}

/** What the listeners got, read from the fake Bot API's calls after `fromSeq`. */
export interface Answers {
  /** `sendAudio` calls quoting a message, by that message's id. */
  audioFor(messageId: number): ApiCall[];
  /** `sendMessage` calls quoting a message (its progress message), by that message's id. */
  progressFor(messageId: number): ApiCall[];
  /** Messages and photos to a chat that quote none of the links: the answers to `/now`. */
  nowRepliesIn(chatId: number): ApiCall[];
}

const quoted = (c: ApiCall): number | undefined => (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id;

/** Sorts the successful calls after `fromSeq` by the update they answer. */
export function answers(bot: FakeBotApi, fromSeq: number, sent: readonly SentUpdate[]): Answers {
  const calls = bot.calls.filter((c) => c.seq > fromSeq && c.status === 200);
  const linkMessages = new Set(sent.flatMap((s) => (s.video ? [s.update.message!.message_id] : [])));
  const by = (method: string, messageId: number) => calls.filter((c) => c.method === method && quoted(c) === messageId);
  return {
    audioFor: (id) => by('sendAudio', id),
    progressFor: (id) => by('sendMessage', id),
    nowRepliesIn: (chatId) =>
      calls.filter((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.params.chat_id === chatId && !linkMessages.has(quoted(c) ?? -1)),
  };
}

/** The statuses the fake's webhook deliveries of an update got, in order (0: no answer). */
export const deliveriesOf = (bot: FakeBotApi, updateId: number) => bot.webhookDeliveries.filter((d) => d.updateId === updateId).map((d) => d.status);

export const is2xx = (status: number) => status >= 200 && status <= 299;

/**
 * Polls `check` until it holds. The conditions span the fakes and other processes, none of
 * which has one event for "everything arrived"; the deadline (generous: other test files load
 * the machine too) only guards against a hang and says what was still missing – timing is
 * never part of a verdict.
 */
export async function eventually(check: () => boolean, what: () => string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`still waiting after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
