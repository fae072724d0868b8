/**
 * Compiles an event's zod schema into a parser of that schema's JSON text: the fast path
 * with which a rebuild reads `data` without `JSON.parse` + `safeParse` (which build every
 * object twice and cost about 1 µs a record, most of it in creating the objects).
 *
 * The contract that keeps it safe is one-sided. A compiled parser either returns exactly
 * the value `schema.safeParse(JSON.parse(text))` would return (same values, same key
 * order) or it **declines** (-1), and the caller then takes the slow path, which parses and
 * validates in full and throws the precise error. So the fast path never accepts a record
 * the slow path rejects, and it never reports an error of its own. To keep that true it
 * declines anything it does not fully understand:
 *
 * - the text must be in the form `JSON.stringify` writes: no whitespace, object keys in the
 *   order zod outputs them, no extra keys, numbers in JSON syntax;
 * - the caller guarantees the whole record holds no backslash and no control character
 *   (one regex test), so every string is the plain characters between two quotes;
 * - only these schemas compile: `string`, `number`, `boolean`, `null`, `literal`, `enum` (of
 *   strings), `nullable`, `optional` (as an object property), `array`, `object` (strip or
 *   strict) – with the checks `min_length`, `max_length`, `length_equals` (in code points,
 *   as zod counts), `regex`, `greater_than`, `less_than` and `number_format`. Any other
 *   type or check (transforms, defaults, unions, refinements, other string formats...)
 *   makes the whole schema uncompiled: its records always take the slow path.
 *
 * Checks with a `when` condition are applied unconditionally, which can only decline more.
 * Compiling is `new Function` over generated code (as zod's own object parser does); the
 * only text taken from the schema are object keys, embedded with `JSON.stringify`.
 *
 * @module
 */
import type { z } from 'zod';
import { checkPredicate, defOf, UnsupportedSchema, type ZodDef } from './schemaChecks.ts';

/** Where a compiled parser leaves the value it parsed. */
export interface ParseSlot {
  value: unknown;
}

/**
 * Parses the JSON text of one value starting at `s[i]`: returns the index just after it
 * (the value in `slot.value`), or -1 to decline.
 */
export type TextParser = (s: string, i: number, slot: ParseSlot) => number;

/** Runtime helpers the generated code calls; kept out of the generated text. */
const SCAN = {
  /** A JSON number at `s[i]`: the index after it (value in slot), -1 if none or not finite. */
  number(s: string, i: number, slot: ParseSlot): number {
    let j = i;
    let c = s.charCodeAt(j);
    if (c === 45) c = s.charCodeAt(++j);
    // Integers of up to 15 digits are summed exactly; anything else goes through Number().
    let n = 0;
    if (c === 48) c = s.charCodeAt(++j);
    else if (c >= 49 && c <= 57) {
      do {
        n = n * 10 + (c - 48);
        c = s.charCodeAt(++j);
      } while (c >= 48 && c <= 57);
    } else return -1;
    let exact = j - i <= 15;
    if (c === 46) {
      exact = false;
      c = s.charCodeAt(++j);
      if (!(c >= 48 && c <= 57)) return -1;
      do c = s.charCodeAt(++j); while (c >= 48 && c <= 57);
    }
    if (c === 101 || c === 69) {
      exact = false;
      c = s.charCodeAt(++j);
      if (c === 43 || c === 45) c = s.charCodeAt(++j);
      if (!(c >= 48 && c <= 57)) return -1;
      do c = s.charCodeAt(++j); while (c >= 48 && c <= 57);
    }
    if (exact) {
      slot.value = s.charCodeAt(i) === 45 ? -n : n;
      return j;
    }
    // A JSON number literal and Number() agree on the value (both round correctly).
    const x = Number(s.slice(i, j));
    if (!Number.isFinite(x)) return -1;
    slot.value = x;
    return j;
  },
  /** A JSON string, number, boolean or null at `s[i]` (for literals and enums). */
  primitive(s: string, i: number, slot: ParseSlot): number {
    const c = s.charCodeAt(i);
    if (c === 34) {
      const j = s.indexOf('"', i + 1);
      if (j < 0) return -1;
      slot.value = s.slice(i + 1, j);
      return j + 1;
    }
    if (s.startsWith('true', i)) return (slot.value = true), i + 4;
    if (s.startsWith('false', i)) return (slot.value = false), i + 5;
    if (s.startsWith('null', i)) return (slot.value = null), i + 4;
    return SCAN.number(s, i, slot);
  },
};

/** Generates the statements that parse one value at `i` into a new variable. */
class Generator {
  readonly lines: string[] = [];
  /** Values the generated code reads as `K[n]` (checks, value sets). */
  readonly constants: unknown[] = [];
  #vars = 0;

  #var(): string {
    return `v${this.#vars++}`;
  }

  #const(x: unknown): string {
    this.constants.push(x);
    return `K[${this.constants.length - 1}]`;
  }

  #checks(def: ZodDef, name: string, kind: 'string' | 'number' | 'array'): void {
    const defs = [...(def.check ? [def] : []), ...(def.checks ?? []).map((c) => defOf(c) ?? {})];
    for (const d of defs) this.lines.push(`if (!${this.#const(checkPredicate(d, kind))}(${name})) return -1;`);
  }

  /** Emits the parse of `schema`; returns the variable holding the value. */
  value(schema: unknown): string {
    const def = defOf(schema);
    if (!def || def.coerce) throw new UnsupportedSchema('schema');
    const checked = def.type === 'string' || def.type === 'number' || def.type === 'array';
    if (!checked && (def.check || def.checks?.length)) throw new UnsupportedSchema(`checks on ${String(def.type)}`);
    const L = this.lines;
    const v = this.#var();
    switch (def.type) {
      case 'string':
        L.push(`if (s.charCodeAt(i) !== 34) return -1;`, `j = s.indexOf('"', i + 1);`, `if (j < 0) return -1;`);
        L.push(`const ${v} = s.slice(i + 1, j);`, `i = j + 1;`);
        this.#checks(def, v, 'string');
        return v;
      case 'number':
        L.push(`i = S.number(s, i, slot);`, `if (i < 0) return -1;`, `const ${v} = slot.value;`);
        this.#checks(def, v, 'number');
        return v;
      case 'boolean':
        L.push(`let ${v};`, `if (s.startsWith('true', i)) { ${v} = true; i += 4; }`);
        L.push(`else if (s.startsWith('false', i)) { ${v} = false; i += 5; } else return -1;`);
        break;
      case 'null':
        L.push(`if (!s.startsWith('null', i)) return -1;`, `i += 4;`, `const ${v} = null;`);
        break;
      case 'literal':
      case 'enum': {
        const values = def.type === 'literal' ? (def['values'] as unknown[]) : Object.values(def['entries'] as object);
        const plain = (x: unknown) => x === null || ['string', 'number', 'boolean'].includes(typeof x);
        if (!values.every(plain) || (def.type === 'enum' && !values.every((x) => typeof x === 'string'))) throw new UnsupportedSchema('values');
        L.push(`i = S.primitive(s, i, slot);`, `if (i < 0) return -1;`, `const ${v} = slot.value;`);
        L.push(`if (!${this.#const(new Set(values))}.has(${v})) return -1;`);
        break;
      }
      case 'nullable': {
        L.push(`let ${v};`, `if (s.startsWith('null', i)) { i += 4; ${v} = null; } else {`);
        const inner = this.value(def['innerType']);
        L.push(`${v} = ${inner};`, `}`);
        break;
      }
      case 'optional':
        // Only an object property can be absent; JSON has no `undefined` elsewhere.
        return this.value(def['innerType']);
      case 'array': {
        L.push(`if (s.charCodeAt(i) !== 91) return -1;`, `i++;`, `const ${v} = [];`);
        L.push(`if (s.charCodeAt(i) === 93) i++; else for (;;) {`);
        const element = this.value(def['element']);
        L.push(`${v}.push(${element});`, `c = s.charCodeAt(i++);`, `if (c === 44) continue;`, `if (c === 93) break;`, `return -1;`, `}`);
        this.#checks(def, v, 'array');
        return v;
      }
      case 'object':
        this.#object(def, v);
        break;
      default:
        throw new UnsupportedSchema(`type ${String(def.type)}`);
    }
    return v;
  }

  #object(def: ZodDef, v: string): void {
    const catchall = defOf(def['catchall']);
    if (catchall && catchall.type !== 'never') throw new UnsupportedSchema('catchall');
    const shape = def['shape'] as Record<string, unknown>;
    // zod writes the output in the shape's own key order; JSON.stringify kept that order.
    const keys = Object.keys(shape);
    if (keys.includes('__proto__')) throw new UnsupportedSchema('__proto__ key');
    const L = this.lines;
    const seen = `${v}n`;
    L.push(`if (s.charCodeAt(i) !== 123) return -1;`, `i++;`, `let ${seen} = 0;`);
    const fields: [string, string, string | null][] = [];
    for (const key of keys) {
      const first = JSON.stringify(`${JSON.stringify(key)}:`);
      const next = JSON.stringify(`,${JSON.stringify(key)}:`);
      const at = `s.startsWith(${seen} === 0 ? ${first} : ${next}, i)`;
      const skip = `i += ${seen}++ === 0 ? ${JSON.parse(first).length} : ${JSON.parse(next).length};`;
      if (defOf(shape[key])?.type === 'optional') {
        const slot = `${v}_${fields.length}`;
        const present = `${slot}p`;
        L.push(`let ${slot}, ${present} = false;`, `if (${at}) {`, skip);
        const value = this.value(shape[key]);
        L.push(`${slot} = ${value};`, `${present} = true;`, `}`);
        fields.push([key, slot, present]);
      } else {
        L.push(`if (!${at}) return -1;`, skip);
        fields.push([key, this.value(shape[key]), null]);
      }
    }
    L.push(`if (s.charCodeAt(i) !== 125) return -1;`, `i++;`);
    if (fields.every(([, , present]) => present === null)) {
      L.push(`const ${v} = { ${fields.map(([key, value]) => `${JSON.stringify(key)}: ${value}`).join(', ')} };`);
    } else {
      L.push(`const ${v} = {};`);
      for (const [key, value, present] of fields) {
        L.push(`${present ? `if (${present}) ` : ''}${v}[${JSON.stringify(key)}] = ${value};`);
      }
    }
  }
}

/**
 * A fast parser for the JSON text of `schema`'s values, or null when the schema uses
 * something the fast path does not cover (its records then always take the slow path).
 * Also null where code generation is not allowed (`--disallow-code-generation-from-strings`):
 * the fast path is an optimisation, never a requirement.
 */
export function compileTextParser(schema: z.ZodType): TextParser | null {
  let g: Generator;
  let result: string;
  try {
    g = new Generator();
    result = g.value(schema);
  } catch (err) {
    if (err instanceof UnsupportedSchema) return null;
    throw err;
  }
  const body = ['let j = 0, c = 0;', ...g.lines, `slot.value = ${result};`, 'return i;'].join('\n');
  let make: (scan: typeof SCAN, constants: unknown[]) => TextParser;
  try {
    make = new Function('S', 'K', `return function parseJsonText(s, i, slot) {\n${body}\n};`) as typeof make;
  } catch (err) {
    if (err instanceof EvalError) return null;
    throw err;
  }
  return make(SCAN, g.constants);
}
