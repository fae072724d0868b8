/**
 * Callback data of the music pipeline's buttons (prefix `mu:`, apart from the bot's own
 * `dl:`, `rc:`, `ul:`, `lg:`):
 *
 * | data | meaning |
 * | --- | --- |
 * | `mu:x:<jobId>` | cancel that request (only its owner may) |
 * | `mu:p:<choiceId>:<n>` | take entry `n` of a stored choice (a candidate or an album track) |
 *
 * Anything else starting with `mu:` is stale or forged and parses as null.
 */

/** A decoded music button. */
export type MusicAction = { readonly kind: 'cancel'; readonly jobId: string } | { readonly kind: 'pick'; readonly choiceId: string; readonly index: number };

/** `mu:x:<jobId>`. */
export const cancelData = (jobId: string): string => `mu:x:${jobId}`;

/** `mu:p:<choiceId>:<n>`. */
export const pickData = (choiceId: string, index: number): string => `mu:p:${choiceId}:${index}`;

/** Decodes a music button; null for anything else. */
export function parseMusicData(data: string): MusicAction | null {
  const cancel = /^mu:x:([0-9a-z]{1,12})$/.exec(data);
  if (cancel) return { kind: 'cancel', jobId: cancel[1]! };
  const pick = /^mu:p:([A-Za-z0-9_-]{10}):(\d{1,2})$/.exec(data);
  if (pick) return { kind: 'pick', choiceId: pick[1]!, index: Number(pick[2]) };
  return null;
}
