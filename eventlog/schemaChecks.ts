/**
 * The zod checks the compiled fast path understands, as plain predicates that pass exactly
 * when zod's own check passes (see zod's `checks.js`: lengths of strings are counted in code
 * points, a regex is reset before each test, an integer format is a range plus
 * `Number.isInteger`). Anything else is {@link UnsupportedSchema}: that schema stays with zod.
 *
 * @module
 */

/** The part of a zod 4 schema's (or check's) `_zod.def` the compiler reads. */
export interface ZodDef {
  type?: string;
  check?: string;
  checks?: readonly { _zod?: { def?: ZodDef } }[];
  coerce?: boolean;
  [key: string]: unknown;
}

/** The definition of a zod schema or check (undefined for anything else). */
export const defOf = (schema: unknown): ZodDef | undefined => (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;

/** Thrown while compiling a schema the fast path does not cover (caught by the compiler). */
export class UnsupportedSchema extends Error {}

/** Code points of a string as zod's length checks count them (a surrogate pair is one). */
function codePoints(s: string): number {
  let count = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

const NUMBER_RANGES: Record<string, [number, number, boolean]> = {
  safeint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true],
  int32: [-2147483648, 2147483647, true],
  uint32: [0, 4294967295, true],
  float32: [-3.4028234663852886e38, 3.4028234663852886e38, false],
  float64: [-Number.MAX_VALUE, Number.MAX_VALUE, false],
};

/**
 * The predicate of one zod check on a value of `kind`, true exactly when zod's check passes.
 * Throws {@link UnsupportedSchema} for any other check.
 */
export function checkPredicate(def: ZodDef, kind: 'string' | 'number' | 'array'): (x: any) => boolean {
  const length = kind === 'string' ? codePoints : (x: unknown[]) => x.length;
  switch (def.check) {
    case 'min_length': {
      const min = def['minimum'] as number;
      return kind === 'string' ? (x: string) => x.length >= min && (x.length >= 2 * min || codePoints(x) >= min) : (x: unknown[]) => x.length >= min;
    }
    case 'max_length': {
      const max = def['maximum'] as number;
      return kind === 'string' ? (x: string) => x.length <= max || codePoints(x) <= max : (x: unknown[]) => x.length <= max;
    }
    case 'length_equals': {
      const n = def['length'] as number;
      return (x: any) => length(x) === n;
    }
    case 'string_format': {
      const pattern = def['pattern'];
      if (kind !== 'string' || def['format'] !== 'regex' || !(pattern instanceof RegExp)) break;
      return (x: string) => {
        pattern.lastIndex = 0;
        return pattern.test(x);
      };
    }
    case 'greater_than':
    case 'less_than': {
      const bound = def['value'];
      if (kind !== 'number' || typeof bound !== 'number') break;
      const inclusive = def['inclusive'] === true;
      if (def.check === 'greater_than') return inclusive ? (x: number) => x >= bound : (x: number) => x > bound;
      return inclusive ? (x: number) => x <= bound : (x: number) => x < bound;
    }
    case 'number_format': {
      const range = NUMBER_RANGES[(def['format'] as string | undefined) ?? 'float64'];
      if (kind !== 'number' || !range) break;
      const [min, max, int] = range;
      return int ? (x: number) => Number.isInteger(x) && x >= min && x <= max : (x: number) => x >= min && x <= max;
    }
  }
  throw new UnsupportedSchema(`check ${String(def.check)}`);
}
