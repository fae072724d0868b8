/**
 * Checks Bot API calls and objects against the contract derived from the official spec
 * (`test/contracts/telegram.json`, made by `scripts/derive-telegram-contract.ts`).
 *
 * What it catches is what Telegram itself rejects or silently ignores: an unknown method, a
 * missing required parameter, an unknown parameter or field (usually a typo), a wrong basic
 * type, a nested object that does not fit its type (`reply_markup`, `results`, `commands`...),
 * a length limit (`callback_data` over 64 bytes) and "exactly one of" rules (a keyboard button
 * without an action). It does not check cross-parameter rules stated only in prose.
 *
 * @example
 * ```ts
 * validateCall('sendMessage', { chat_id: 1, text: '' });
 * // → [{ path: 'text', problem: 'shorter than 1 chars' }]
 * ```
 */
import { readFileSync } from 'node:fs';
import type { ContractField, ContractType, TelegramContractData } from '../../scripts/derive-telegram-contract.ts';

export type { TelegramContractData } from '../../scripts/derive-telegram-contract.ts';

/** One way a call or object breaks the contract; `path` is like `reply_markup.inline_keyboard[0][1].text`. */
export interface Violation {
  path: string;
  problem: string;
}

/**
 * How the parameters arrived. `json`: a JSON body, where object parameters may still be
 * JSON-serialised strings (Telegram accepts both). `form`: multipart or urlencoded, where every
 * scalar is a string and objects are JSON strings, as grammY sends them with an upload.
 */
export interface CallOptions {
  encoding?: 'json' | 'form';
  /** Names of the uploaded file parts, so `attach://<name>` references can be checked. */
  files?: ReadonlySet<string>;
}

const contractUrl = new URL('../contracts/telegram.json', import.meta.url);
let loaded: TelegramContractData | undefined;

/** The committed contract, read once. */
export function loadContract(): TelegramContractData {
  loaded ??= JSON.parse(readFileSync(contractUrl, 'utf8')) as TelegramContractData;
  return loaded;
}

/** True when the contract knows `method`. */
export function isKnownMethod(method: string): boolean {
  return Object.hasOwn(loadContract().methods, method);
}

type Mode = 'strict' | 'json' | 'form';
interface Ctx {
  files: ReadonlySet<string> | undefined;
}

/** Validates one call's parameters. Returns an empty list when the call fits the contract. */
export function validateCall(method: string, params: unknown, options: CallOptions = {}): Violation[] {
  const m = loadContract().methods[method];
  if (!m) return [{ path: method, problem: 'unknown method' }];
  const ctx: Ctx = { files: options.files };
  return checkFields(params ?? {}, m.params, {}, '', options.encoding ?? 'json', ctx, method);
}

/** Validates a value against an object or union type of the contract (`Update`, `Message`...). */
export function validateObject(typeName: string, value: unknown): Violation[] {
  if (!loadContract().types[typeName]) return [{ path: '', problem: `unknown type ${typeName}` }];
  return checkExprs(value, [typeName], '', 'strict', { files: undefined });
}

/** Validates what a method answered (its `result`) against the method's return types. */
export function validateResult(method: string, value: unknown): Violation[] {
  const m = loadContract().methods[method];
  if (!m) return [{ path: method, problem: 'unknown method' }];
  return checkExprs(value, m.returns, '', 'strict', { files: undefined });
}

/** One line per violation, for error messages and 400 descriptions. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.path || '(value)'}: ${v.problem}`).join('; ');
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a JSON-serialised parameter; undefined when it is not JSON of the wanted shape. */
function parseSerialized(v: unknown, want: 'array' | 'object'): unknown {
  if (typeof v !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    return want === 'array' ? (Array.isArray(parsed) ? parsed : undefined) : isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Passes when any of the alternatives fits; otherwise reports the closest alternative. */
function checkExprs(value: unknown, exprs: readonly string[], path: string, mode: Mode, ctx: Ctx): Violation[] {
  let best: Violation[] | undefined;
  for (const expr of exprs) {
    const found = checkExpr(value, expr, path, mode, ctx);
    if (found.length === 0) return [];
    // A shape mismatch is a single violation at `path`; deeper findings are more telling.
    const shapeOnly = found.length === 1 && found[0]!.path === path && found[0]!.problem.startsWith('expected ');
    if (!shapeOnly && (!best || closeness(found, path) < closeness(best, path))) best = found;
  }
  return best ?? [{ path, problem: `expected ${exprs.join(' or ')}, got ${kindOf(value)}` }];
}

/** Lower is closer: a wrong field right at `path` says "other type" more than a deep slip does. */
function closeness(found: readonly Violation[], path: string): number {
  const prefix = path ? `${path}.` : '';
  const structural = found.filter(
    (v) => v.path.startsWith(prefix) && !v.path.slice(prefix.length).includes('.') && /^(missing|unknown)/.test(v.problem),
  ).length;
  return structural * 1000 + found.length;
}

function checkExpr(value: unknown, expr: string, path: string, mode: Mode, ctx: Ctx): Violation[] {
  const mismatch = (): Violation[] => [{ path, problem: `expected ${expr}, got ${kindOf(value)}` }];
  if (expr.startsWith('Array of ')) {
    const inner = expr.slice('Array of '.length);
    const arr = Array.isArray(value) ? value : mode !== 'strict' ? parseSerialized(value, 'array') : undefined;
    if (!Array.isArray(arr)) return mismatch();
    return arr.flatMap((el, i) => checkExpr(el, inner, `${path}[${i}]`, 'strict', ctx));
  }
  const form = mode === 'form' && typeof value === 'string';
  switch (expr) {
    case 'Integer':
      return Number.isSafeInteger(value) || (form && /^-?\d+$/.test(value)) ? [] : mismatch();
    case 'Float':
      return (typeof value === 'number' && Number.isFinite(value)) || (form && value.trim() !== '' && Number.isFinite(Number(value)))
        ? []
        : mismatch();
    case 'Boolean':
      return typeof value === 'boolean' || (form && (value === 'true' || value === 'false')) ? [] : mismatch();
    case 'String':
      if (typeof value !== 'string') return mismatch();
      return checkAttach(value, path, ctx, false);
    case 'InputFile':
      return typeof value === 'string' && value.startsWith('attach://') ? checkAttach(value, path, ctx, true) : mismatch();
  }
  const type = loadContract().types[expr];
  if (!type) return isPlainObject(value) ? [] : mismatch(); // not in the contract: shape only
  if (type.alsoString && typeof value === 'string') return [];
  const obj = isPlainObject(value) ? value : mode !== 'strict' ? parseSerialized(value, 'object') : undefined;
  if (!isPlainObject(obj)) return mismatch();
  if (type.oneOf) return checkUnion(obj, expr, type.oneOf, path, ctx);
  return checkFields(obj, type.fields ?? {}, type, path, 'strict', ctx, expr);
}

/** `attach://name` must name an uploaded part; a bare InputFile must be an upload. */
function checkAttach(value: string, path: string, ctx: Ctx, mustBeUpload: boolean): Violation[] {
  if (!value.startsWith('attach://')) return [];
  const name = value.slice('attach://'.length);
  if (ctx.files?.has(name)) return [];
  return [{ path, problem: mustBeUpload || ctx.files ? `no uploaded file part named "${name}"` : 'attach:// reference without an upload' }];
}

function discriminatorOf(member: ContractType): [string, string] | undefined {
  for (const [name, f] of Object.entries(member.fields ?? {})) if (f.const !== undefined) return [name, f.const];
  return undefined;
}

function checkUnion(obj: Record<string, unknown>, union: string, members: readonly string[], path: string, ctx: Ctx): Violation[] {
  const types = loadContract().types;
  const tagged = members.filter((m) => {
    const d = types[m] && discriminatorOf(types[m]);
    return d && obj[d[0]] === d[1];
  });
  const discriminated = members.filter((m) => types[m] && discriminatorOf(types[m]));
  if (tagged.length === 0 && discriminated.length === members.length && members.length > 0) {
    const [field] = discriminatorOf(types[members[0]!]!)!;
    const allowed = [...new Set(members.map((m) => discriminatorOf(types[m]!)![1]))].sort();
    return [{ path: path ? `${path}.${field}` : field, problem: `${JSON.stringify(obj[field])} is not a valid ${union} ${field} (one of ${allowed.join(', ')})` }];
  }
  let best: { name: string; found: Violation[] } | undefined;
  for (const name of tagged.length > 0 ? tagged : members) {
    const t = types[name];
    if (!t) continue;
    const found = checkFields(obj, t.fields ?? {}, t, path, 'strict', ctx, name);
    if (found.length === 0) return [];
    if (!best || closeness(found, path) < closeness(best.found, path)) best = { name, found };
  }
  if (!best) return [{ path, problem: `no member of ${union} in the contract` }];
  return best.found.map((v) => ({ ...v, problem: `${v.problem} (as ${best.name})` }));
}

function checkFields(
  value: unknown,
  fields: Record<string, ContractField>,
  rules: Pick<ContractType, 'exactlyOne' | 'atMostOne'>,
  path: string,
  mode: Mode,
  ctx: Ctx,
  what: string,
): Violation[] {
  if (!isPlainObject(value)) return [{ path, problem: `expected ${what} object, got ${kindOf(value)}` }];
  const at = (k: string): string => (path ? `${path}.${k}` : k);
  const out: Violation[] = [];
  for (const [k, f] of Object.entries(fields)) {
    if (f.required && value[k] == null) out.push({ path: at(k), problem: `missing required ${path || mode === 'strict' ? 'field' : 'parameter'}` });
  }
  for (const [k, v] of Object.entries(value)) {
    if (v == null) continue; // grammY drops null and undefined before sending
    const f = Object.hasOwn(fields, k) ? fields[k] : undefined;
    if (!f) {
      out.push({ path: at(k), problem: `unknown ${path || mode === 'strict' ? 'field' : 'parameter'} of ${what}` });
      continue;
    }
    const found = checkExprs(v, f.types, at(k), mode, ctx);
    out.push(...found);
    if (found.length === 0 && typeof v === 'string') out.push(...checkString(v, f, value, at(k)));
  }
  for (const [rule, names] of [['exactlyOne', rules.exactlyOne], ['atMostOne', rules.atMostOne]] as const) {
    if (!names) continue;
    const present = names.filter((n) => value[n] != null);
    if (present.length > 1) out.push({ path: path || '(value)', problem: `only one of ${present.join(', ')} may be set` });
    if (rule === 'exactlyOne' && present.length === 0) out.push({ path: path || '(value)', problem: `one of ${names.join(', ')} must be set` });
  }
  return out;
}

function checkString(v: string, f: ContractField, siblings: Record<string, unknown>, path: string): Violation[] {
  const out: Violation[] = [];
  if (f.const !== undefined && v !== f.const) out.push({ path, problem: `must be "${f.const}"` });
  if (f.len && !(f.types.includes('Integer') && /^-?\d+$/.test(v))) {
    const [min, max, unit] = f.len;
    const size = unit === 'bytes' ? Buffer.byteLength(v, 'utf8') : [...v].length;
    if (size < min) out.push({ path, problem: `shorter than ${min} ${unit}` });
    // With parse_mode the limit applies after the markup is stripped, which we do not model.
    if (size > max && !(f.entities && siblings.parse_mode != null)) out.push({ path, problem: `longer than ${max} ${unit}` });
  }
  return out;
}
