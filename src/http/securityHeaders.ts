/**
 * Headers on every response the server sends, error pages and raw client-error answers
 * included. The CSP allows nothing but our one hashed inline style: no scripts, no
 * images, no frames, no form posts, no external origins.
 */
import { PAGE_STYLE_HASH } from './htmlPage.ts';

/** The Content-Security-Policy of every response. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${PAGE_STYLE_HASH}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Lower-case header name → value, set before a route's own headers. `no-store` applies to
 * every response: all our pages are dynamic and some carry one-time links.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});
