/**
 * A music request as data: what a queue job carries from the instance that took the update to
 * the one that downloads (the same process with the embedded queue, a worker process with
 * PostgreSQL's). Everything in it is plain JSON, checked by {@link MusicJobSchema} on submit and
 * again by the worker; links travel as their URL and are parsed again there, and a
 * picked candidate or album track travels as its choice's id (the choice store is shared).
 */
import { z } from 'zod';
import { LOCALES } from '../../i18n/locale.ts';
import { PlainLinkSchema } from './linkSeal.ts';

/** Telegram's chat and message ids: integers (chat ids of groups are negative). */
const TgId = z.number().int().safe();

/** Where the result goes and how it is shown. */
export const JobTargetSchema = z.discriminatedUnion('kind', [
  /** A chat: the audio answers `replyTo`; `progressMessageId` is edited as the job goes. */
  z.object({ kind: z.literal('chat'), chatId: TgId, progressMessageId: TgId.optional(), replyTo: TgId.optional() }),
  /** A chosen inline result: the inline message becomes the audio, uploaded through `uploadChatId`. */
  z.object({ kind: z.literal('inline'), inlineMessageId: z.string().min(1).max(512), uploadChatId: TgId }),
  /** One track of a "Send all" run: the audio only, no progress, no choice; the run shows the rest. */
  z.object({ kind: z.literal('batch'), chatId: TgId }),
]);

/** Entry `index` of a stored choice (the same in memory and in the shared database). */
export const ChoiceWhatSchema = z.object({ choiceId: z.string().regex(/^[A-Za-z0-9_-]{10}$/), index: z.number().int().min(0).max(99) });

/**
 * What to fetch: a link (its canonical URL, the text the user sent, and the key it parsed to,
 * which the worker's parse must give again), or entry `index` of a stored choice.
 */
export const JobWhatSchema = z.union([
  z.object({ link: PlainLinkSchema }),
  ChoiceWhatSchema,
]);

/** See the module comment. */
export const MusicJobSchema = z.object({
  /** The user asking: limits and order are per user, and their Spotify link gives exact metadata. */
  userId: z.number().int().positive().safe(),
  /** The user's language: the worker renders every text. */
  locale: z.enum(LOCALES),
  target: JobTargetSchema,
  what: JobWhatSchema,
});

export type MusicJob = z.infer<typeof MusicJobSchema>;
export type JobTarget = z.infer<typeof JobTargetSchema>;

/** Progress a worker reports to the submitter: nothing yet (edits go to Telegram directly). */
export const MusicJobProgressSchema = z.never();
