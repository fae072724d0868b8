/**
 * Derives the Telegram Bot API contract the tests check against from the full spec in
 * `../shared/specs/telegram/api.json` and writes it to `test/contracts/telegram.json`.
 *
 * Usage: `npx tsx scripts/derive-telegram-contract.ts` (after the spec changes; commit the
 * result). `../shared` exists only in the workplace, so the derived file is what a fresh clone
 * tests against.
 *
 * Kept: every method with its parameters (types, required flag) and return types; every object
 * type reachable from a method's parameters or return value, or from `Update`, with its fields;
 * union types with their members. Also the few machine-checkable facts the spec states in prose
 * and Telegram enforces: length limits (`1-64 bytes`), discriminator constants (`must be audio`,
 * `always "user"`) and "exactly/at most one of these fields" rules. Descriptions are dropped.
 * The output is sorted and has one line per method and per type, so diffs stay readable.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the workplace keeps the full spec; absent on a user's clone. */
export const specPath = fileURLToPath(new URL('../../shared/specs/telegram/api.json', import.meta.url));
/** The committed, derived contract. */
export const contractPath = fileURLToPath(new URL('../test/contracts/telegram.json', import.meta.url));

interface SpecField { name: string; types: string[]; required: boolean; description: string }
interface SpecEntry {
  name: string;
  description?: string[];
  fields?: SpecField[];
  returns?: string[];
  subtypes?: string[];
}
interface Spec { version: string; release_date: string; methods: Record<string, SpecEntry>; types: Record<string, SpecEntry> }

/** One parameter or field: its accepted types as spelled by the spec ("Array of String"). */
export interface ContractField {
  types: string[];
  required?: true;
  /** Length limit `[min, max, unit]`; `entities: true` when measured after entity parsing. */
  len?: [number, number, 'chars' | 'bytes'];
  entities?: true;
  /** The only value allowed: the discriminator of a union member. */
  const?: string;
}
/** A method: parameters by name and the types its result may have. */
export interface ContractMethod { params: Record<string, ContractField>; returns: string[] }
/** An object type (`fields`) or a union (`oneOf`), with optional one-of rules over fields. */
export interface ContractType {
  fields?: Record<string, ContractField>;
  oneOf?: string[];
  exactlyOne?: string[];
  atMostOne?: string[];
  /** A bare String may stand in for the object (KeyboardButton's plain text button). */
  alsoString?: true;
}
/** The whole derived contract, as stored in `test/contracts/telegram.json`. */
export interface TelegramContractData {
  version: string;
  methods: Record<string, ContractMethod>;
  types: Record<string, ContractType>;
}

const primitives = new Set(['Integer', 'Float', 'String', 'Boolean']);

/** `"Array of Array of X"` → `"X"`. */
export function baseType(expr: string): string {
  return expr.replace(/^(Array of )+/, '');
}

function deriveField(f: SpecField, isUnionMember: boolean): ContractField {
  const out: ContractField = { types: [...f.types] };
  if (f.required) out.required = true;
  const len = /\b(\d+)-(\d+) (characters|bytes)( after entities parsing)?/.exec(f.description);
  if (len && f.types.includes('String')) {
    out.len = [Number(len[1]), Number(len[2]), len[3] === 'bytes' ? 'bytes' : 'chars'];
    if (len[4]) out.entities = true;
  }
  // Only union members carry discriminators; elsewhere "must be" is advice, not a constant.
  const c = /(?:must be|always) "?([a-z_0-9]+)"?\s*$/.exec(f.description);
  if (isUnionMember && c && f.required && f.types.join() === 'String') out.const = c[1]!;
  return out;
}

/** Reads "Exactly one of the fields other than a, b and c must be used" style rules. */
function deriveOneOfRules(entry: SpecEntry, t: ContractType): void {
  const text = (entry.description ?? []).join(' ');
  const optional = (entry.fields ?? []).filter((f) => !f.required).map((f) => f.name);
  const names = (s: string): string[] => s.split(/,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+/).map((x) => x.trim()).filter(Boolean);
  let m: RegExpExecArray | null;
  let rule: 'exactlyOne' | 'atMostOne' | undefined;
  let set: string[] = [];
  if ((m = /(Exactly|At most) one of the fields other than ([\w, ]+?) must be used/i.exec(text))) {
    const except = new Set(names(m[2]!));
    rule = m[1]!.toLowerCase() === 'exactly' ? 'exactlyOne' : 'atMostOne';
    set = optional.filter((n) => !except.has(n));
  } else if ((m = /Exactly one of the fields ([\w ]+?) must be used/i.exec(text))) {
    rule = 'exactlyOne';
    set = names(m[1]!);
  } else if (/must use exactly one of the optional fields/i.test(text)) {
    rule = 'exactlyOne';
    set = optional;
  } else if (/At most one of the optional fields can be present/i.test(text)) {
    rule = 'atMostOne';
    set = optional;
  }
  if (rule && set.length > 1) t[rule] = [...set].sort();
  if (/String can be used instead of this object/.test(text)) t.alsoString = true;
}

function sortedRecord<T>(entries: [string, T][]): Record<string, T> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Pure derivation from the parsed spec; deterministic for a given input. */
export function deriveContract(spec: Spec): TelegramContractData {
  const unionMembers = new Set(Object.values(spec.types).flatMap((t) => t.subtypes ?? []));
  const methods = sortedRecord(
    Object.values(spec.methods).map((m): [string, ContractMethod] => [
      m.name,
      {
        params: sortedRecord((m.fields ?? []).map((f) => [f.name, deriveField(f, false)])),
        returns: [...(m.returns ?? [])],
      },
    ]),
  );
  // Every type reachable from the methods and from Update, so nested checks never dead-end.
  const wanted = new Set<string>();
  const visit = (expr: string): void => {
    const name = baseType(expr);
    if (primitives.has(name) || wanted.has(name) || !spec.types[name]) return;
    wanted.add(name);
    const t = spec.types[name]!;
    for (const s of t.subtypes ?? []) visit(s);
    for (const f of t.fields ?? []) f.types.forEach(visit);
  };
  visit('Update');
  for (const m of Object.values(spec.methods)) {
    (m.returns ?? []).forEach(visit);
    for (const f of m.fields ?? []) f.types.forEach(visit);
  }
  const types = sortedRecord(
    [...wanted].map((name): [string, ContractType] => {
      const entry = spec.types[name]!;
      const t: ContractType = {};
      if (entry.subtypes) t.oneOf = [...entry.subtypes].sort();
      else {
        const member = unionMembers.has(name);
        t.fields = sortedRecord((entry.fields ?? []).map((f) => [f.name, deriveField(f, member)]));
        deriveOneOfRules(entry, t);
      }
      return [name, t];
    }),
  );
  return { version: spec.version, methods, types };
}

/** Serialises with one line per method and per type: compact, yet diffs name what changed. */
export function serializeContract(c: TelegramContractData): string {
  const block = (rec: Record<string, unknown>): string =>
    Object.entries(rec).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n');
  return `{\n  "version": ${JSON.stringify(c.version)},\n  "methods": {\n${block(c.methods)}\n  },\n  "types": {\n${block(c.types)}\n  }\n}\n`;
}

/** Reads the spec at `path` and returns the serialised contract. */
export function deriveFromFile(path: string = specPath): string {
  return serializeContract(deriveContract(JSON.parse(readFileSync(path, 'utf8')) as Spec));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = deriveFromFile();
  mkdirSync(dirname(contractPath), { recursive: true });
  writeFileSync(contractPath, text);
  const c = JSON.parse(text) as TelegramContractData;
  console.log(`wrote ${contractPath}: ${Object.keys(c.methods).length} methods, ${Object.keys(c.types).length} types, ${text.length} bytes`);
}
