/**
 * The event registry: a zod schema per `type@v` and upcasters from every older version to
 * the newest. Appends are validated against the newest schema; reads validate a record
 * against the schema of the version it was written with, then upcast it step by step.
 * Nothing unknown or invalid is ever skipped: it is an {@link EventDecodeError}.
 *
 * Schemas must describe plain JSON data (no transforms): the parsed output is what gets
 * stored.
 *
 * **The trust rule.** Each `type@v` schema has a fingerprint (a hash of its JSON Schema,
 * `z.toJSONSchema`, computed once here) that the store writes into every record, next to a
 * checksum of the record's text (`recordFormat.ts`). A record whose checksum matches and
 * whose fingerprint is the current one of its type at the newest version was validated by
 * this very schema when it was appended and has not changed since: it is read with
 * `JSON.parse` alone. Every other record – an old one without fingerprint, a changed
 * schema, an older version to upcast – is checked with zod, which names what is wrong.
 * `decode(..., 'full')` (used by `verify`) checks every record with zod.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EventDecodeError, EventValidationError } from './errors.ts';
import { parseRecord } from './recordFormat.ts';
import type { AnyEvent, Envelope } from './types.ts';

interface VersionSpec {
  v: number;
  schema: z.ZodType;
  /** Turns data of version `v - 1` into input of this version (absent on version 1). */
  upcast?: (previous: any) => unknown;
}

/**
 * One event type with all its versions, oldest first. Build it with {@link defineEvent}
 * and add versions with {@link EventType.upgrade}.
 */
export class EventType<T extends string, D> {
  /** @internal use {@link defineEvent} */
  constructor(
    readonly type: T,
    readonly versions: readonly VersionSpec[],
  ) {}

  /** The newest version number (what appends are stored as). */
  get version(): number {
    return this.versions.length;
  }

  /**
   * Adds version `v` (must be the next number) with its schema and the upcaster from the
   * previous version's data. Upcasters must be pure.
   *
   * @example
   * const LoginStarted = defineEvent('LoginStarted', z.object({ at: z.string() }))
   *   .upgrade(2, z.object({ at: z.string(), scopes: z.array(z.string()) }), (d) => ({ ...d, scopes: [] }));
   */
  upgrade<S extends z.ZodType>(v: number, schema: S, upcast: (previous: D) => z.input<S>): EventType<T, z.output<S>> {
    if (v !== this.version + 1) {
      throw new TypeError(`event ${this.type}: version ${v} must follow ${this.version}`);
    }
    return new EventType<T, z.output<S>>(this.type, [...this.versions, { v, schema, upcast }]);
  }

  /** A typed event of this type, ready for `appendToStream`. */
  of(data: D): { type: T; data: D } {
    return { type: this.type, data };
  }
}

/**
 * Declares an event type (past tense, e.g. `TokensRefreshed`) at version 1.
 * @example
 * const Counted = defineEvent('Counted', z.object({ n: z.number() }));
 */
export function defineEvent<T extends string, S extends z.ZodType>(type: T, schema: S): EventType<T, z.output<S>> {
  return new EventType<T, z.output<S>>(type, [{ v: 1, schema }]);
}

/** The event union a list of event types describes: `{ type, data }` per type. */
export type EventOf<X> = X extends EventType<infer T, infer D> ? { type: T; data: D } : never;

/** The registry the store decodes and validates with. */
export interface EventRegistry<E extends AnyEvent = AnyEvent> {
  /** Registered type names. */
  readonly types: readonly string[];
  /** The newest version of `type`; throws {@link EventValidationError} if unknown. */
  currentVersion(type: string): number;
  /**
   * Validates an event to append against the newest schema of its type and returns the
   * data to store. Throws {@link EventValidationError} naming the field paths.
   */
  validate(event: AnyEvent): { type: string; v: number; data: unknown };
  /** The fingerprint of `type@v`'s schema the store writes into its records ('' when it has none). */
  fingerprint(type: string, v: number): string;
  /**
   * Turns a stored record (see `recordFormat.ts`) into an envelope at the newest version.
   * `position` becomes `meta.globalPosition`; `key` names the record in an {@link EventDecodeError}.
   * `'trusted'` (the default) reads a record under the trust rule (see the module comment)
   * with `JSON.parse` alone; `'full'` checks every record with zod.
   */
  decode(raw: string, key: string, position: number, check?: DecodeCheck): Envelope<E>;
}

/** How far {@link EventRegistry.decode} checks a record: see the trust rule. */
export type DecodeCheck = 'trusted' | 'full';

/**
 * The fingerprint of a schema: 8 hex digits of SHA-256 over its JSON Schema. It changes
 * with anything JSON Schema shows (types, keys, lengths, bounds, patterns, formats,
 * strictness); '' for a schema JSON Schema cannot show (a transform, a date), whose records
 * are then always checked with zod. A refinement's function is invisible to it: change a
 * schema by adding a version, never in place.
 */
function fingerprintOf(schema: z.ZodType): string {
  let json: string;
  try {
    json = JSON.stringify(z.toJSONSchema(schema));
  } catch {
    return '';
  }
  return createHash('sha256').update(json).digest('hex').slice(0, 8);
}

/** Field paths and messages of a zod error, never the offending values. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** Upcasts `data` of `type@v` step by step to the newest version and checks the result. */
function upcast(type: string, v: number, versions: readonly VersionSpec[], data: unknown, key: string, position: number): unknown {
  for (let i = v; i < versions.length; i++) {
    const next = versions[i]!;
    try {
      data = next.upcast!(data);
    } catch {
      throw new EventDecodeError(key, position, `upcasting ${type}@${v} to v${next.v} threw`);
    }
  }
  const newest = versions[versions.length - 1]!;
  const checked = newest.schema.safeParse(data);
  if (!checked.success) {
    throw new EventDecodeError(key, position, `${type}@${v} upcast to v${newest.v} fails its schema: ${describeIssues(checked.error)}`);
  }
  return checked.data;
}

/**
 * Builds the registry from event types; type names must be unique.
 * @example
 * const registry = createEventRegistry([LoginStarted, Unlinked]);
 * type LinkEvent = EventOf<typeof LoginStarted | typeof Unlinked>;
 */
export function createEventRegistry<const Ts extends readonly EventType<string, any>[]>(
  eventTypes: Ts,
): EventRegistry<EventOf<Ts[number]>> {
  const byType = new Map<string, readonly VersionSpec[]>();
  const fingerprints = new Map<string, string[]>();
  for (const t of eventTypes) {
    if (byType.has(t.type)) throw new TypeError(`event type ${t.type} is registered twice`);
    byType.set(t.type, t.versions);
    fingerprints.set(t.type, t.versions.map((spec) => fingerprintOf(spec.schema)));
  }

  function versionsOf(type: string): readonly VersionSpec[] {
    const versions = byType.get(type);
    if (!versions) throw new EventValidationError(type, 'unknown event type (not in the registry)');
    return versions;
  }

  return {
    types: [...byType.keys()],
    currentVersion: (type) => versionsOf(type).length,
    fingerprint: (type, v) => fingerprints.get(type)?.[v - 1] ?? '',
    validate(event) {
      const versions = versionsOf(event.type);
      const newest = versions[versions.length - 1]!;
      const parsed = newest.schema.safeParse(event.data);
      if (!parsed.success) throw new EventValidationError(event.type, describeIssues(parsed.error));
      return { type: event.type, v: newest.v, data: parsed.data };
    },
    decode(raw, key, position, check = 'trusted') {
      const parts = parseRecord(raw, key, position);
      const { type, v } = parts;
      const versions = byType.get(type);
      if (!versions) throw new EventDecodeError(key, position, `unknown event type ${type}@${v}`);
      const spec = versions[v - 1];
      if (!spec) throw new EventDecodeError(key, position, `unknown version ${type}@${v} (newest is ${versions.length})`);
      const newest = versions.length;
      // The trust rule: validated by this very schema on append, unchanged since (checksum).
      const current = fingerprints.get(type)![v - 1]!;
      const trusted = check === 'trusted' && v === newest && current !== '' && parts.fingerprint === current;
      let data = parts.data;
      if (!trusted) {
        const parsed = spec.schema.safeParse(data);
        if (!parsed.success) throw new EventDecodeError(key, position, `${type}@${v} fails its schema: ${describeIssues(parsed.error)}`);
        data = v < newest ? upcast(type, v, versions, parsed.data, key, position) : parsed.data;
      }
      return { type, v: newest, data, meta: parts.meta } as Envelope<EventOf<Ts[number]>>;
    },
  };
}
