/**
 * A tiny validator for the compact schemas of `test/contracts/*.json` (types, required,
 * nullable, enum, format date-time, minimum/maximum, array items, `$ref`, `oneOf` with an
 * optional discriminator). No dependencies; returns every issue with its JSON path, so a
 * failing contract test says exactly which field of which body is wrong.
 *
 * @example
 * ```ts
 * const issues = checkSchema(body, { $ref: 'TrackObject' }, contract.schemas, { strict: true });
 * assert.equal(issues, []);
 * ```
 */

/** A node of a compact schema (see `scripts/derive-spotify-contract.ts`). */
export interface Schema {
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  discriminator?: string;
  $ref?: string;
  noBody?: boolean;
}

/** One mismatch: where (`$.item.album.images[0].url`) and what. */
export interface SchemaIssue {
  path: string;
  message: string;
}

/** Options: `strict` also reports properties an object schema does not declare (typos in fakes). */
export interface CheckOptions {
  strict?: boolean;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates `value` against `schema`, resolving `$ref` names in `defs`. Empty array = valid. */
export function checkSchema(
  value: unknown,
  schema: Schema,
  defs: Record<string, Schema>,
  opts: CheckOptions = {},
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  walk(value, schema, '$', defs, opts, issues);
  return issues;
}

function walk(v: unknown, s: Schema, path: string, defs: Record<string, Schema>, opts: CheckOptions, out: SchemaIssue[]): void {
  const fail = (message: string): void => void out.push({ path, message });
  if (s.noBody) {
    if (v !== undefined) fail('expected no body');
    return;
  }
  if (v === null) {
    if (!s.nullable) fail('null is not allowed');
    return;
  }
  if (s.$ref !== undefined) {
    const target = defs[s.$ref];
    if (!target) return fail(`unknown schema ${s.$ref}`);
    return walk(v, target, path, defs, opts, out);
  }
  if (s.oneOf) return walkOneOf(v, s, path, defs, opts, out);
  if (s.type !== undefined && !hasType(v, s.type)) return fail(`expected ${s.type}, got ${describe(v)}`);
  if (s.enum && !s.enum.includes(v)) fail(`expected one of ${JSON.stringify(s.enum)}, got ${JSON.stringify(v)}`);
  if (s.format === 'date-time' && typeof v === 'string' && !(ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)))) {
    fail(`expected an ISO 8601 date-time, got ${JSON.stringify(v)}`);
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) fail(`below minimum ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) fail(`above maximum ${s.maximum}`);
  }
  if (Array.isArray(v) && s.items) {
    v.forEach((item, i) => walk(item, s.items!, `${path}[${i}]`, defs, opts, out));
  }
  if (isObject(v)) {
    for (const key of s.required ?? []) if (!(key in v)) out.push({ path: `${path}.${key}`, message: 'required property missing' });
    for (const [key, child] of Object.entries(v)) {
      const ps = s.properties?.[key];
      if (ps) walk(child, ps, `${path}.${key}`, defs, opts, out);
      else if (opts.strict && s.properties) out.push({ path: `${path}.${key}`, message: 'property not in the contract' });
    }
  }
}

function walkOneOf(v: unknown, s: Schema, path: string, defs: Record<string, Schema>, opts: CheckOptions, out: SchemaIssue[]): void {
  const branches = s.oneOf ?? [];
  if (s.discriminator !== undefined && isObject(v)) {
    const tag = v[s.discriminator];
    const branch = branches.find((b) => resolve(b, defs)?.properties?.[s.discriminator!]?.enum?.includes(tag));
    if (!branch) return void out.push({ path, message: `no branch for ${s.discriminator}=${JSON.stringify(tag)}` });
    return walk(v, branch, path, defs, opts, out);
  }
  // Without a discriminator: valid when any branch fits (anyOf semantics, enough for contracts).
  const results = branches.map((b) => checkSchema(v, b, defs, opts));
  if (results.some((r) => r.length === 0)) return;
  out.push({ path, message: `matches no oneOf branch (first branch: ${results[0]?.[0]?.message ?? 'none'})` });
}

function resolve(s: Schema, defs: Record<string, Schema>): Schema | undefined {
  let cur: Schema | undefined = s;
  for (let i = 0; cur?.$ref !== undefined && i < 32; i++) cur = defs[cur.$ref];
  return cur;
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return true;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isInteger(v)) return 'non-integer number';
  return typeof v;
}
