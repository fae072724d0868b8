/**
 * Callback data of the music pipeline's buttons, the `mu:` kind of the bot's callback data
 * (`../callbackData.ts`, which routes them to the music feature):
 *
 * | data | meaning |
 * | --- | --- |
 * | `mu:x:<jobId>` | cancel that request (only its owner may) |
 * | `mu:p:<choiceId>:<n>` | take entry `n` of a stored choice (a candidate or an album track) |
 * | `mu:a:<choiceId>` | send every track of a stored album or playlist ("Send all") |
 * | `mu:z` | stop the presser's own "Send all" run |
 *
 * Anything else starting with `mu:` is stale or forged and parses as null.
 */

/** A decoded music button. */
export type MusicAction =
  | { readonly kind: 'cancel'; readonly jobId: string }
  | { readonly kind: 'pick'; readonly choiceId: string; readonly index: number }
  | { readonly kind: 'sendAll'; readonly choiceId: string }
  | { readonly kind: 'stopAll' };

/** `mu:x:<jobId>`. */
export const cancelData = (jobId: string): string => `mu:x:${jobId}`;

/** `mu:p:<choiceId>:<n>`. */
export const pickData = (choiceId: string, index: number): string => `mu:p:${choiceId}:${index}`;

/** `mu:a:<choiceId>`. */
export const sendAllData = (choiceId: string): string => `mu:a:${choiceId}`;

/** `mu:z`: no id, a user has one run at most and only stops their own. */
export const stopAllData = (): string => 'mu:z';

/** The payload after `mu:` of an action. */
export function musicPayload(a: MusicAction): string {
  switch (a.kind) {
    case 'cancel':
      return `x:${a.jobId}`;
    case 'pick':
      return `p:${a.choiceId}:${a.index}`;
    case 'sendAll':
      return `a:${a.choiceId}`;
    case 'stopAll':
      return 'z';
  }
}

/** Decodes what follows `mu:`; undefined for anything else. */
export function parseMusicPayload(payload: string): MusicAction | undefined {
  // A job id is a uuid (36 bytes: `mu:x:` and it fit Telegram's 64).
  const cancel = /^x:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(payload);
  if (cancel) return { kind: 'cancel', jobId: cancel[1]! };
  const pick = /^p:([A-Za-z0-9_-]{10}):(\d{1,2})$/.exec(payload);
  if (pick) return { kind: 'pick', choiceId: pick[1]!, index: Number(pick[2]) };
  const all = /^a:([A-Za-z0-9_-]{10})$/.exec(payload);
  if (all) return { kind: 'sendAll', choiceId: all[1]! };
  if (payload === 'z') return { kind: 'stopAll' };
  return undefined;
}
