/**
 * Reads a Fluent source into what the locale tests compare: each message (and `key.attr`)
 * with the sorted variables it uses, and how many lines start an entry, so a test can tell
 * that Fluent silently dropped a broken entry as junk.
 */
import { FluentResource } from '@fluent/bundle';

/** Every `$variable` referenced anywhere in a pattern (select expressions and arguments included). */
export function variablesOf(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) variablesOf(item, into);
  else if (node !== null && typeof node === 'object') {
    const n = node as Record<string, unknown>;
    if (n.type === 'var' && typeof n.name === 'string') into.add(n.name);
    for (const value of Object.values(n)) variablesOf(value, into);
  }
  return into;
}

/** The messages of one Fluent source. */
export interface FtlCatalog {
  /** key (and `key.attr`) → sorted variable names */
  readonly messages: Map<string, string[]>;
  /** Entries Fluent parsed. */
  readonly parsed: number;
  /** Lines that start an entry (`key =` or `-term =`). */
  readonly entryLines: number;
}

export function ftlCatalog(source: string): FtlCatalog {
  const resource = new FluentResource(source);
  const messages = new Map<string, string[]>();
  for (const entry of resource.body) {
    messages.set(entry.id, [...variablesOf(entry.value)].sort());
    for (const [attr, pattern] of Object.entries(entry.attributes)) messages.set(`${entry.id}.${attr}`, [...variablesOf(pattern)].sort());
  }
  const entryLines = source.split('\n').filter((l) => /^-?[a-zA-Z][\w-]*\s*=/.test(l)).length;
  return { messages, parsed: resource.body.length, entryLines };
}
