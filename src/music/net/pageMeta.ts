/**
 * Reads the metadata a music page declares for link previews: `og:` and `music:` meta tags
 * and the `<title>`. Public pages are the fallback when an API refuses us, so this is
 * deliberately forgiving: attribute order, quotes and entities vary.
 */

/** Meta values by lower-case `property`/`name` (first occurrence wins), plus the `<title>`. */
export interface PageMeta {
  readonly tags: ReadonlyMap<string, string>;
  readonly title: string | undefined;
}

const META = /<meta\b[^>]*>/gi;
const ATTR = /([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;

/** Parses the meta tags and title of an HTML page (only its first 512 KiB are looked at). */
export function parsePageMeta(html: string): PageMeta {
  const head = html.slice(0, 512 * 1024);
  const tags = new Map<string, string>();
  for (const m of head.matchAll(META)) {
    const attrs = new Map<string, string>();
    for (const a of m[0].matchAll(ATTR)) attrs.set(a[1]!.toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '');
    const key = (attrs.get('property') ?? attrs.get('name') ?? attrs.get('itemprop'))?.toLowerCase();
    const content = attrs.get('content');
    if (key && content !== undefined && !tags.has(key)) tags.set(key, decodeEntities(content).trim());
  }
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1];
  return { tags, title: title === undefined ? undefined : decodeEntities(title).trim() };
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', laquo: '«', raquo: '»', mdash: '—', ndash: '–', middot: '·' };

/** Decodes the HTML entities that appear in page titles. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}
