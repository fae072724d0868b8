/**
 * The small, self-contained HTML pages the server shows in a browser: no scripts, no images,
 * no external resources, one inline style block allowed by its hash in the CSP
 * ({@link PAGE_STYLE_HASH}). Every text is HTML-escaped; pages echo nothing from the request.
 *
 * @example
 * renderPage({
 *   locale: 'ru',
 *   heading: t('ru', 'callback-denied-heading'),
 *   text: t('ru', 'callback-denied-text'),
 * });
 */
import { createHash } from 'node:crypto';
import type { Locale } from '../i18n/locale.ts';

/** The inline stylesheet; its exact bytes are hashed into the CSP, so edit it only here. */
const PAGE_STYLE = [
  'body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;',
  'font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d1f23}',
  'main{max-width:28rem;margin:1.5rem;padding:2rem;background:#fff;border-radius:12px;',
  'box-shadow:0 2px 12px rgba(0,0,0,.08);text-align:center}',
  'h1{font-size:1.4rem;margin:0 0 .75rem}p{margin:0 0 1.25rem}',
  'a.button{display:inline-block;padding:.75rem 1.5rem;border-radius:999px;background:#2aabee;',
  'color:#fff;text-decoration:none;font-weight:600}',
  'small{color:#6b7280}',
  '@media (prefers-color-scheme:dark){body{background:#17181c;color:#e8e9ec}main{background:#23252b}}',
].join('');

/** `'sha256-…'` source expression of {@link PAGE_STYLE}, for `style-src` in the CSP. */
export const PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(PAGE_STYLE, 'utf8').digest('base64')}'`;

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** What a page shows: a heading, one paragraph, an optional button and an optional footnote. */
export interface PageContent {
  readonly locale: Locale;
  readonly heading: string;
  readonly text: string;
  /** A link styled as a button; `href` must be an absolute https URL we built ourselves. */
  readonly action?: { readonly href: string; readonly label: string };
  /** Small print under the text (e.g. the HTTP status of an error page). */
  readonly note?: string;
}

/** Renders a complete HTML document for {@link PageContent}; every value is escaped. */
export function renderPage(page: PageContent): string {
  const action =
    page.action === undefined
      ? ''
      : `<p><a class="button" href="${escapeHtml(page.action.href)}" rel="noreferrer">${escapeHtml(page.action.label)}</a></p>`;
  const note = page.note === undefined ? '' : `<p><small>${escapeHtml(page.note)}</small></p>`;
  return (
    `<!doctype html><html lang="${page.locale}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">' +
    `<title>${escapeHtml(page.heading)}</title><style>${PAGE_STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(page.heading)}</h1><p>${escapeHtml(page.text)}</p>${action}${note}</main></body></html>`
  );
}
