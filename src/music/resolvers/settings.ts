/** Settings every HTTP-based resolver takes. */
export interface ResolverHttpSettings {
  /** Budget per request (default 8000 ms). */
  readonly timeoutMs?: number;
  /** Default: the global fetch. */
  readonly fetch?: typeof globalThis.fetch;
}

/** The default per-request budget of metadata calls. */
export const DEFAULT_METADATA_TIMEOUT_MS = 8000;

/** Drops a trailing slash so `${base}/path` never doubles it. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Rebuilds a canonical service URL on another origin (a local fake, a proxy). */
export function onBase(canonicalUrl: string, base: string): string {
  const u = new URL(canonicalUrl);
  return `${trimBase(base)}${u.pathname}${u.search}`;
}

/** Positive finite seconds, or undefined. */
export function seconds(value: unknown, divisor = 1): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n / divisor) : undefined;
}

/** Unique non-empty names in order (artists listed twice by a service). */
export function uniqueNames(names: readonly (string | undefined | null)[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const t = n?.trim();
    if (t && !out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
  }
  return out;
}

/** A plain object view of unknown JSON (empty for anything else). */
export function obj(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A string field, trimmed; undefined when absent or empty. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
}

/** An array field (empty for anything else). */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
