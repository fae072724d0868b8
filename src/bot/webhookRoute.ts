/**
 * `POST /telegram/webhook` for the built-in HTTP server (webhook mode).
 *
 * Order: before a byte of the body is read, `X-Telegram-Bot-Api-Secret-Token` is compared
 * with `WEBHOOK_SECRET` in constant time (wrong or missing → 401, the connection closed: a
 * stranger cannot make the server buffer 1 MiB); then the server reads the body within
 * {@link WebhookRouteOptions.maxBodyBytes} (413 beyond), this route parses the update (not
 * JSON or no `update_id` → 400) and hands it to the bot.
 *
 * It answers 200 once the update is handled, or after {@link WebhookRouteOptions.answerWithinMs}
 * while handling goes on (a slow download must not make Telegram send the update again).
 * Failures inside the bot go to `bot.catch` and still answer 200: Telegram re-sending a
 * broken update would only fail again.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import type { Route, RouteResponse } from '../http/route.ts';
import type { Logger } from '../log.ts';
import type { BotContext } from './context.ts';
import { loggableError } from './errorHandler.ts';

/** The path Telegram posts updates to: `PUBLIC_BASE_URL` + this. */
export const WEBHOOK_PATH = '/telegram/webhook';

/** Options of {@link createWebhookRoute}. */
export interface WebhookRouteOptions {
  readonly bot: Bot<BotContext>;
  /**
   * Hands the update to the bot; `createBot` gives its own, the one polling uses too, so
   * both count and drop updates the same way. Default `bot.handleUpdate`.
   */
  readonly handleUpdate?: (update: Update) => Promise<void>;
  /** `WEBHOOK_SECRET`, the `secret_token` given to `setWebhook`. */
  readonly secret: string;
  readonly logger: Logger;
  /** Default 1 MiB: Telegram's updates are a few kB; a message with a long text stays far below. */
  readonly maxBodyBytes?: number;
  /** Default 10 000 ms, well inside the server's handler time limit. */
  readonly answerWithinMs?: number;
  /** Called with every update's handling, so `stop()` can wait for those still running. */
  readonly track?: (handling: Promise<void>) => void;
}

const UpdateShape = z.looseObject({ update_id: z.number().int().nonnegative() });

/** Compares two secrets without leaking where they differ through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The webhook route; see the module comment for what it answers. */
export function createWebhookRoute(options: WebhookRouteOptions): Route {
  const { bot, secret, logger } = options;
  const handleUpdate = options.handleUpdate ?? ((update: Update) => bot.handleUpdate(update));
  const answerWithinMs = options.answerWithinMs ?? 10_000;
  const refuse = (headers: IncomingHttpHeaders): RouteResponse | undefined => {
    const given = headers['x-telegram-bot-api-secret-token'];
    return typeof given === 'string' && sameSecret(given, secret) ? undefined : { status: 401, logFields: { rejected: 'secret' } };
  };
  return {
    path: WEBHOOK_PATH,
    methods: ['POST'],
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    precheck: (request) => refuse(request.headers),
    async handle(request): Promise<RouteResponse> {
      // Checked again: a wrapper that forwards only `handle` must not open the door.
      const refused = refuse(request.headers);
      if (refused) return refused;
      let update: Update;
      try {
        update = UpdateShape.parse(JSON.parse(request.body.toString('utf8'))) as unknown as Update;
      } catch {
        return { status: 400, logFields: { rejected: 'body' } };
      }
      if (!bot.isInited()) return { status: 503, logFields: { rejected: 'notStarted' } };
      const handling = handleUpdate(update).catch(async (err: unknown) => {
        try {
          await bot.errorHandler(err as never);
        } catch (handlerErr) {
          logger.error({ err: loggableError(handlerErr), updateId: update.update_id }, 'error handler failed');
        }
      });
      options.track?.(handling);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), answerWithinMs);
      });
      const finished = await Promise.race([handling.then(() => 'done' as const), late]);
      clearTimeout(timer);
      return { status: 200, logFields: finished === 'late' ? { updateId: update.update_id, stillRunning: true } : { updateId: update.update_id } };
    },
  };
}
