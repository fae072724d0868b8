/**
 * The one message that shows how a music request is going (⏳ → 🔎 → ⬇️ → 📤). Telegram
 * allows about one message per second per chat and edits count, so updates are coalesced:
 * at most one edit per `intervalMs` (about 2 s), the latest text wins, and a final state
 * (deleted, an error, a choice) replaces whatever was pending.
 *
 * Edits run one after another; their failures (the user deleted the message, "message is
 * not modified") are logged and otherwise ignored: progress is a courtesy.
 */
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Logger } from 'pino';

/** Timers, replaceable in tests. */
export interface ProgressClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ProgressClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Options of {@link ProgressMessage.send}. */
export interface ProgressOptions {
  readonly intervalMs?: number;
  readonly replyTo?: number;
  readonly clock?: ProgressClock;
  readonly logger?: Logger;
}

interface View {
  readonly text: string;
  readonly markup?: InlineKeyboardMarkup;
}

/** See the module comment. */
export class ProgressMessage {
  #lastEdit: number;
  #pending: View | undefined;
  #timer: unknown;
  #chain: Promise<void> = Promise.resolve();
  #final = false;
  #shown: string;

  private constructor(
    private readonly api: Api,
    private readonly chatId: number,
    readonly messageId: number,
    initial: string,
    initialMarkup: InlineKeyboardMarkup | undefined,
    private readonly intervalMs: number,
    private readonly clock: ProgressClock,
    private readonly logger?: Logger,
  ) {
    this.#lastEdit = clock.now();
    this.#shown = JSON.stringify({ text: initial, ...(initialMarkup && { markup: initialMarkup }) });
  }

  /** Sends the first state; resolves undefined when Telegram refused it (the chat is gone). */
  static async send(api: Api, chatId: number, text: string, markup: InlineKeyboardMarkup | undefined, o: ProgressOptions = {}): Promise<ProgressMessage | undefined> {
    try {
      const msg = await api.sendMessage(chatId, text, {
        ...(markup && { reply_markup: markup }),
        ...(o.replyTo !== undefined && { reply_parameters: { message_id: o.replyTo, allow_sending_without_reply: true } }),
        link_preview_options: { is_disabled: true },
      });
      return new ProgressMessage(api, chatId, msg.message_id, text, markup, o.intervalMs ?? 2000, o.clock ?? realClock, o.logger);
    } catch (err) {
      o.logger?.warn({ err }, 'progress message not sent');
      return undefined;
    }
  }

  /**
   * Takes over a message sent elsewhere (by the instance that queued the job, showing `text`
   * and `markup`): a download worker edits the message the web instance sent.
   */
  static attach(api: Api, chatId: number, messageId: number, text: string, markup: InlineKeyboardMarkup | undefined, o: Omit<ProgressOptions, 'replyTo'> = {}): ProgressMessage {
    return new ProgressMessage(api, chatId, messageId, text, markup, o.intervalMs ?? 2000, o.clock ?? realClock, o.logger);
  }

  /** Shows `text` soon: now if the last edit is old enough, else when it is. */
  update(text: string, markup?: InlineKeyboardMarkup): void {
    if (this.#final) return;
    this.#pending = { text, ...(markup && { markup }) };
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastEdit + this.intervalMs - this.clock.now());
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = undefined;
      const view = this.#pending;
      this.#pending = undefined;
      if (view && !this.#final) this.#edit(view);
    }, wait);
  }

  /** Shows a final text (an error, a choice) at once; later updates are ignored. */
  async finish(text: string, markup?: InlineKeyboardMarkup): Promise<void> {
    this.#stop();
    this.#edit({ text, ...(markup && { markup }) });
    await this.#chain;
  }

  /** Deletes the message (the audio arrived); later updates are ignored. */
  async remove(): Promise<void> {
    this.#stop();
    this.#chain = this.#chain.then(async () => {
      await this.api.deleteMessage(this.chatId, this.messageId).catch((err: unknown) => this.logger?.debug({ err }, 'progress message not deleted'));
    });
    await this.#chain;
  }

  /** Resolves when every edit asked for so far has been made. */
  settled(): Promise<void> {
    return this.#chain;
  }

  #stop(): void {
    this.#final = true;
    this.#pending = undefined;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #edit(view: View): void {
    this.#lastEdit = this.clock.now();
    const shown = JSON.stringify(view);
    if (shown === this.#shown) return; // Telegram answers "message is not modified"
    this.#shown = shown;
    this.#chain = this.#chain.then(async () => {
      this.#lastEdit = this.clock.now();
      await this.api
        .editMessageText(this.chatId, this.messageId, view.text, {
          ...(view.markup && { reply_markup: view.markup }),
          link_preview_options: { is_disabled: true },
        })
        .catch((err: unknown) => this.logger?.debug({ err }, 'progress message not edited'));
    });
  }
}
