/**
 * The event registry: a zod schema per `type@v` and upcasters from every older version to
 * the newest. Appends are validated against the newest schema; reads validate a record
 * against the schema of the version it was written with, then upcast it step by step.
 * Nothing unknown or invalid is ever skipped: it is an {@link EventDecodeError}.
 *
 * Schemas must describe plain JSON data (no transforms): the parsed output is what gets
 * stored and is parsed again on every read.
 *
 * Reads first try a fast path: each schema is compiled once (`compiledSchema.ts`) into a
 * parser of its JSON text that either gives exactly what `JSON.parse` + `safeParse` give or
 * declines; a declined or broken record takes the full parse, which names the problem.
 *
 * @module
 */
import type { z } from 'zod';
import { EventDecodeError, EventValidationError } from './errors.ts';
import { compileTextParser, type ParseSlot } from './compiledSchema.ts';
import { parseRecord, parseRecordFast, type FastDataParser } from './recordFormat.ts';
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
  /**
   * Turns a stored record (see `recordFormat.ts`) into an envelope at the newest version.
   * `position` becomes `meta.globalPosition`; `key` names the record in an {@link EventDecodeError}.
   */
  decode(raw: string, key: string, position: number): Envelope<E>;
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
  for (const t of eventTypes) {
    if (byType.has(t.type)) throw new TypeError(`event type ${t.type} is registered twice`);
    byType.set(t.type, t.versions);
  }

  // The compiled parser of each version's data (null: that schema is not compiled), found
  // by the type name's length and text without cutting the name out of the record.
  interface Compiled {
    type: string;
    versions: readonly VersionSpec[];
    parsers: (FastDataParser | null)[];
  }
  const byLength: Compiled[][] = [];
  for (const [type, versions] of byType) {
    const parsers = versions.map((spec) => {
      const parse = compileTextParser(spec.schema);
      return parse ? { type, parse } : null;
    });
    (byLength[type.length] ??= []).push({ type, versions, parsers });
  }
  let found: Compiled | undefined;
  const parserFor = (raw: string, start: number, end: number, v: number): FastDataParser | null | undefined => {
    const candidates = byLength[end - start];
    if (candidates) for (const c of candidates) if (raw.startsWith(c.type, start)) return (found = c).parsers[v - 1];
    return undefined;
  };
  const slot: ParseSlot = { value: undefined };

  function versionsOf(type: string): readonly VersionSpec[] {
    const versions = byType.get(type);
    if (!versions) throw new EventValidationError(type, 'unknown event type (not in the registry)');
    return versions;
  }

  return {
    types: [...byType.keys()],
    currentVersion: (type) => versionsOf(type).length,
    validate(event) {
      const versions = versionsOf(event.type);
      const newest = versions[versions.length - 1]!;
      const parsed = newest.schema.safeParse(event.data);
      if (!parsed.success) throw new EventValidationError(event.type, describeIssues(parsed.error));
      return { type: event.type, v: newest.v, data: parsed.data };
    },
    decode(raw, key, position) {
      // Records written by this store in a compiled schema's form take the fast path; the
      // rest (and every broken record) the full parse, which names what is wrong.
      let parts = parseRecordFast(raw, position, parserFor, slot);
      let versions: readonly VersionSpec[];
      if (parts) {
        versions = found!.versions;
      } else {
        parts = parseRecord(raw, key, position);
        const { type, v } = parts;
        const known = byType.get(type);
        if (!known) throw new EventDecodeError(key, position, `unknown event type ${type}@${v}`);
        const spec = known[v - 1];
        if (!spec) throw new EventDecodeError(key, position, `unknown version ${type}@${v} (newest is ${known.length})`);
        const parsed = spec.schema.safeParse(parts.data);
        if (!parsed.success) {
          throw new EventDecodeError(key, position, `${type}@${v} fails its schema: ${describeIssues(parsed.error)}`);
        }
        parts.data = parsed.data;
        versions = known;
      }
      if (parts.v < versions.length) parts.data = upcast(parts.type, parts.v, versions, parts.data, key, position);
      parts.v = versions.length;
      // The parts are fresh and shaped like an envelope: no second object is needed.
      return parts as Envelope<EventOf<Ts[number]>>;
    },
  };
}
