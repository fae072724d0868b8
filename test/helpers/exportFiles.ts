/**
 * Reading and altering `replay export` files in tests (format: `src/devtools/replay/exportFormat.ts`).
 *
 * @example
 * const lines = await exportLines(file);                       // parsed, header first
 * const bad = withLines(text, (l) => (l.kind === 'event' && l.position === 3 ? { ...l, time: 'x' } : l));
 */
import { readFile } from 'node:fs/promises';

/** Every line of an export file, parsed. */
export async function exportLines(file: string): Promise<any[]> {
  return (await readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
}

/**
 * The export text with `change` applied to each parsed line: a line it returns unchanged keeps
 * its exact text, one it replaces is serialised again, `null` drops it.
 */
export function withLines(text: string, change: (line: any) => any): string {
  const out: string[] = [];
  for (const raw of text.trimEnd().split('\n')) {
    const line = JSON.parse(raw);
    const changed = change(line);
    if (changed === null) continue;
    out.push(changed === line ? raw : JSON.stringify(changed));
  }
  return out.join('\n') + '\n';
}

/** The link harness's master key (`Buffer.alloc(32, 9)`) in every text form it could leak in. */
export function masterKeyForms(key: Buffer = Buffer.alloc(32, 9)): string[] {
  return [key.toString('base64'), key.toString('base64url'), key.toString('hex')];
}
