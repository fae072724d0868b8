/**
 * Validation of the OAuth callback's query before anything looks a state up. Spotify sends
 * `?code=…&state=…` on approval and `?error=access_denied&state=…` on Cancel; anything else
 * is a damaged, forged or replayed-by-hand URL and gets a 400 without touching the flow.
 */
import { z } from 'zod';
import type { CallbackInput } from '../link/ports.ts';

/** Our states are ≥ 128 random bits in URL-safe base64; 256 leaves room for other encodings. */
const STATE = /^[A-Za-z0-9_-]{16,256}$/;
/** RFC 6749 allows any visible ASCII in a code (Spotify's are URL-safe base64). */
const CODE = /^[\x21-\x7E]{1,1024}$/;
/** RFC 6749 `error`: NQSCHAR (printable ASCII but `"` and `\`). */
const ERROR = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

/** The schema of the callback query's three parameters (others are ignored). */
export const callbackQuerySchema = z
  .object({
    state: z.string().regex(STATE),
    code: z.string().regex(CODE).optional(),
    error: z.string().regex(ERROR).optional(),
  })
  .refine((q) => (q.code === undefined) !== (q.error === undefined), {
    message: 'exactly one of code and error',
    path: ['code'],
  });

/** Why a query was refused: a parameter name or a rule, never a value (it goes to the log). */
export type CallbackQueryRejection = 'duplicate' | 'state' | 'code' | 'error' | 'codeAndError';

/** The result of {@link parseCallbackQuery}. */
export type CallbackQueryResult =
  | { readonly ok: true; readonly input: CallbackInput }
  | { readonly ok: false; readonly reason: CallbackQueryRejection };

const NAMES = ['state', 'code', 'error'] as const;

/**
 * Turns a decoded query into a {@link CallbackInput}, or a reason to refuse it. A parameter
 * given twice is refused: which copy is meant would be a guess.
 */
export function parseCallbackQuery(query: URLSearchParams): CallbackQueryResult {
  const raw: Record<string, string> = {};
  for (const name of NAMES) {
    const values = query.getAll(name);
    if (values.length > 1) return { ok: false, reason: 'duplicate' };
    if (values[0] !== undefined) raw[name] = values[0];
  }
  const parsed = callbackQuerySchema.safeParse(raw);
  if (parsed.success) {
    const { state, code, error } = parsed.data;
    return { ok: true, input: code !== undefined ? { state, code } : { state, error: error as string } };
  }
  const issue = parsed.error.issues[0];
  if (issue?.code === 'custom') return { ok: false, reason: 'codeAndError' };
  const field = issue?.path[0];
  return { ok: false, reason: field === 'code' || field === 'error' ? field : 'state' };
}
