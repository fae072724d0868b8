/**
 * Telegram's side of webhook mode: POSTing an update to the bot's webhook URL with the
 * `X-Telegram-Bot-Api-Secret-Token` header, and reading a "webhook reply" (an API call the bot
 * put in the response body) from the answer.
 */
import { request } from 'node:http';
import type { Update } from 'grammy/types';

/** The bot's answer to one webhook POST. */
export interface WebhookResponse {
  status: number;
  body: string;
}

/** POSTs one update to `url` (plain http; the bot under test serves locally). */
export function postUpdate(url: string, update: Update, secretToken?: string): Promise<WebhookResponse> {
  const target = new URL(url);
  if (target.protocol !== 'http:') return Promise.reject(new Error(`the fake delivers webhooks over http only, not ${target.protocol}`));
  const body = JSON.stringify(update);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  if (secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = secretToken;
  return new Promise((resolve, reject) => {
    // No keep-alive agent: a pooled socket would keep the test process alive after the run.
    const req = request(target, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The API call in a webhook reply body (`{"method": "sendMessage", ...}`), if there is one. */
export function webhookReplyCall(body: string): { method: string; params: Record<string, unknown> } | undefined {
  if (!body.trim().startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const { method, ...params } = parsed;
    return typeof method === 'string' ? { method, params } : undefined;
  } catch {
    return undefined;
  }
}
