/**
 * Ready-made responses: HTML pages in the user's language and the generic status pages the
 * server answers with before or instead of a route. Pages are rendered once per status and
 * locale and then reused (they echo nothing, so they never differ).
 */
import { STATUS_CODES } from 'node:http';
import { t } from '../i18n/translate.ts';
import type { Locale } from '../i18n/locale.ts';
import { renderPage, type PageContent } from './htmlPage.ts';
import type { RouteResponse } from './route.ts';
import { SECURITY_HEADERS } from './securityHeaders.ts';

/** `Content-Type` of HTML pages. */
export const HTML = 'text/html; charset=utf-8';
/** `Content-Type` of plain-text answers (health probes). */
export const TEXT = 'text/plain; charset=utf-8';

/** An HTML page response with `status`. */
export function htmlResponse(status: number, page: PageContent, headers?: Record<string, string>): RouteResponse {
  return { status, contentType: HTML, body: renderPage(page), ...(headers ? { headers } : {}) };
}

/** The heading key of each generic status page. */
const STATUS_KEYS: Readonly<Record<number, string>> = {
  400: 'http-error-bad-request',
  404: 'http-error-not-found',
  405: 'http-error-method-not-allowed',
  408: 'http-error-timeout',
  413: 'http-error-payload-too-large',
  414: 'http-error-uri-too-long',
  417: 'http-error-bad-request',
  431: 'http-error-headers-too-large',
  500: 'http-error-internal',
  503: 'http-error-unavailable',
};

const statusPageCache = new Map<string, Buffer>();

/** The rendered generic page for `status` in `locale` (statuses outside the table read as 500). */
function statusPageBody(status: number, locale: Locale): Buffer {
  const cacheKey = `${status}:${locale}`;
  let body = statusPageCache.get(cacheKey);
  if (body === undefined) {
    const heading = t(locale, STATUS_KEYS[status] ?? 'http-error-internal');
    const note = t(locale, 'http-error-status', { status });
    body = Buffer.from(renderPage({ locale, heading, text: heading, note }));
    statusPageCache.set(cacheKey, body);
  }
  return body;
}

/** The generic error page for `status` (400, 404, 405, 408, 413, 414, 431, 500, 503). */
export function statusPage(status: number, locale: Locale, headers?: Record<string, string>): RouteResponse {
  return { status, contentType: HTML, body: statusPageBody(status, locale), ...(headers ? { headers } : {}) };
}

/**
 * A complete raw HTTP/1.1 response for errors found before Node built a request object
 * (header overflow, parse errors, timeouts): English page, security headers, connection close.
 */
export function rawStatusResponse(status: number): Buffer {
  const body = statusPageBody(status, 'en');
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `content-type: ${HTML}`,
    `content-length: ${body.length}`,
    'connection: close',
    ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);
}
