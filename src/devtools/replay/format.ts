/**
 * Plain-text formatting shared by the replay commands: aligned columns, ISO times and
 * `key=value` lines. Only ever given data that was already redacted.
 *
 * @module
 */
import { ReplayError, usageError } from './errors.ts';

/** Epoch ms → ISO 8601, or `—` for null. */
export function iso(ms: number | null | undefined): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : '—';
}

/** Rows as aligned columns under `header` (two spaces between columns, no trailing blanks). */
export function columns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Fields named `at` or `…At` hold epoch ms: shown as ISO in text output. */
const isInstantField = (key: string) => key === 'at' || /At$/.test(key);

/** One `key=value` per field, instants as ISO, nested values as compact JSON. */
export function keyValues(data: Readonly<Record<string, unknown>>): string {
  return Object.entries(data)
    .map(([k, v]) => {
      if (isInstantField(k) && typeof v === 'number') return `${k}=${iso(v)}`;
      if (typeof v === 'string') return `${k}=${v}`;
      return `${k}=${JSON.stringify(v)}`;
    })
    .join('  ');
}

/**
 * A Telegram user id from the command line.
 * @throws {ReplayError} `USAGE` for anything but a positive integer.
 */
export function parseUserId(text: string | undefined): number {
  const id = Number(text);
  if (!text || !/^\d+$/.test(text) || !Number.isSafeInteger(id) || id <= 0) {
    throw usageError(`user id must be a positive integer (got ${JSON.stringify(String(text ?? '').slice(0, 24))})`);
  }
  return id;
}

/** The error for a user without any event. */
export function userNotFound(userId: number): ReplayError {
  return new ReplayError('NOT_FOUND', `user ${userId} has no events in this data dir`, { hint: 'run `replay users` to list the users that have' });
}
