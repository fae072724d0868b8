/**
 * Derives the Spotify facts the tests need from the Web API OpenAPI file into a committed,
 * prose-free JSON contract (`test/contracts/spotify.json`), so the fake Spotify can be checked
 * against the real spec on a clone that has no `../shared`.
 *
 * Usage: `npx tsx scripts/derive-spotify-contract.ts [specPath] [outPath]`
 * (defaults: `../shared/specs/spotify/fixed-spotify-open-api.yml`, `test/contracts/spotify.json`).
 *
 * The output is deterministic (keys and lists sorted), so `git diff` shows only real spec
 * changes. Known gaps of the spec are patched here, in {@link PATCHES}, and every patch is listed
 * in the output's `patches` array: the fake must follow Spotify's real behaviour, not the gap.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

/** A compact JSON-schema-like node: only what a validator needs, no prose. */
export interface CompactSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  nullable?: true;
  enum?: (string | number | boolean)[];
  format?: string;
  minimum?: number;
  maximum?: number;
  required?: string[];
  properties?: Record<string, CompactSchema>;
  items?: CompactSchema;
  oneOf?: CompactSchema[];
  /** Property whose value picks the `oneOf` branch (the branch whose property enum holds it). */
  discriminator?: string;
  /** Name of an entry of the contract's `schemas`. */
  $ref?: string;
  /** A response without a body (for example 204). */
  noBody?: true;
}

/** One documented patch of a spec gap. */
export interface ContractPatch {
  target: string;
  change: string;
  why: string;
}

/** The derived contract as written to `test/contracts/spotify.json`. */
export interface SpotifyContract {
  source: { file: string; title: string; version: string };
  patches: ContractPatch[];
  oauth: {
    authorizationUrl: string;
    tokenUrl: string;
    scopes: string[];
    tokenResponse: CompactSchema;
    tokenErrorResponse: CompactSchema;
  };
  endpoints: Record<string, { responses: Record<string, CompactSchema> }>;
  schemas: Record<string, CompactSchema>;
}

/** The Web API endpoints the fake implements (spec path, method GET). */
export const FAKE_ENDPOINTS = [
  '/me',
  '/me/player/currently-playing',
  '/me/player/recently-played',
  '/tracks/{id}',
  '/albums/{id}',
  '/albums/{id}/tracks',
  '/playlists/{playlist_id}',
  '/playlists/{playlist_id}/items',
] as const;

const SCHEMA_PREFIX = '#/components/schemas/';
const RESPONSE_PREFIX = '#/components/responses/';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

const ERROR_WRAPPER: CompactSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { $ref: 'ErrorObject' } },
};

/**
 * Known gaps between the spec and what Spotify really sends. Each patch edits the derived
 * contract (never the client's leniency) and is recorded in the output.
 */
const PATCHES: { patch: ContractPatch; apply: (c: SpotifyContract) => void }[] = [
  nullable('CurrentlyPlayingObject', 'context', 'A Context Object. Can be null (spec prose) – e.g. a private session or an ad.'),
  nullable('CurrentlyPlayingObject', 'item', 'Spotify answers item: null for ads, private sessions and unknown items.'),
  nullable('CurrentlyPlayingObject', 'progress_ms', 'Can be null (spec prose).'),
  nullable('PlayHistoryObject', 'context', 'Tracks played outside a playlist/album/artist context carry context: null.'),
  nullable('CursorPagingPlayHistoryObject', 'next', 'URL to the next page, null when none (spec prose).'),
  nullable('CursorPagingPlayHistoryObject', 'cursors', 'An empty recently-played page answers cursors: null.'),
  nullable('PrivateUserObject', 'display_name', 'null if not available (spec prose).'),
  nullable('PlaylistTrackObject', 'item', 'A track object may be null if the track is no longer available (spec prose of the playlist\'s items).'),
  nullable('PlaylistTrackObject', 'track', 'The same for the deprecated track field.'),
  nullable('TrackObject', 'id', 'A local file in a playlist has is_local: true and id: null (Web API concepts: playlists, local files).'),
  nullable('SimplifiedArtistObject', 'id', 'The artist of a local file has id: null as well.'),
  {
    patch: {
      target: 'schemas.CurrentlyPlayingObject.properties.currently_playing_type',
      change: 'enum: ad, episode, track, unknown',
      why: 'The spec lists the values only in prose.',
    },
    apply: (c) => {
      prop(c, 'CurrentlyPlayingObject', 'currently_playing_type').enum = ['ad', 'episode', 'track', 'unknown'];
    },
  },
  {
    patch: {
      target: 'endpoints["GET /me/player/currently-playing"].responses.204',
      change: 'add 204 without body',
      why: 'Nothing playing (or a private session) answers 204 No Content.',
    },
    apply: (c) => {
      endpoint(c, 'GET /me/player/currently-playing').responses['204'] = { noBody: true };
    },
  },
  {
    patch: {
      target: 'schemas.ErrorObject.properties.reason',
      change: 'add optional string reason',
      why: 'Quota exhaustion is a 429 whose error carries "reason": "QUOTA_EXCEEDED".',
    },
    apply: (c) => {
      const error = c.schemas['ErrorObject'];
      if (!error?.properties) throw new Error('spec changed: ErrorObject has no properties');
      error.properties['reason'] = { type: 'string' };
    },
  },
  {
    patch: {
      target: 'endpoints[*].responses.5xx',
      change: 'add 5xx with the usual error wrapper',
      why: 'The spec lists no server errors; Spotify sends the same { error: { status, message } } body.',
    },
    apply: (c) => {
      for (const e of Object.values(c.endpoints)) e.responses['5xx'] = structuredClone(ERROR_WRAPPER);
    },
  },
  {
    patch: {
      target: 'endpoints["GET /tracks/{id}"].responses.400, .404',
      change: 'add 400 and 404 with the usual error wrapper',
      why: 'A malformed id answers 400 "Invalid base62 id", an unknown one 404; the spec lists neither.',
    },
    apply: (c) => {
      const e = endpoint(c, 'GET /tracks/{id}');
      e.responses['400'] = structuredClone(ERROR_WRAPPER);
      e.responses['404'] = structuredClone(ERROR_WRAPPER);
    },
  },
  {
    patch: {
      target: 'endpoints["GET /albums/{id}"], ["GET /albums/{id}/tracks"], ["GET /playlists/{playlist_id}"], ["GET /playlists/{playlist_id}/items"].responses.400, .404',
      change: 'add 400 and 404 with the usual error wrapper',
      why: 'An unknown album or playlist answers 404 (so do Spotify-owned playlists to development-mode apps since November 2024), a bad limit 400; the spec lists neither.',
    },
    apply: (c) => {
      for (const key of ['GET /albums/{id}', 'GET /albums/{id}/tracks', 'GET /playlists/{playlist_id}', 'GET /playlists/{playlist_id}/items']) {
        const e = endpoint(c, key);
        e.responses['400'] = structuredClone(ERROR_WRAPPER);
        e.responses['404'] = structuredClone(ERROR_WRAPPER);
      }
    },
  },
  {
    patch: {
      target: 'oauth.tokenResponse, oauth.tokenErrorResponse',
      change: 'add the token endpoint bodies',
      why: 'The spec names only the token URL; the bodies follow the Spotify authorization guides (RFC 6749 §5).',
    },
    apply: () => {},
  },
];

function nullable(schema: string, property: string, why: string): (typeof PATCHES)[number] {
  return {
    patch: { target: `schemas.${schema}.properties.${property}`, change: 'nullable: true', why },
    apply: (c) => {
      prop(c, schema, property).nullable = true;
    },
  };
}

function prop(c: SpotifyContract, schema: string, property: string): CompactSchema {
  const p = c.schemas[schema]?.properties?.[property];
  if (!p) throw new Error(`spec changed: ${schema}.${property} is gone; review the patch`);
  return p;
}

function endpoint(c: SpotifyContract, key: string): { responses: Record<string, CompactSchema> } {
  const e = c.endpoints[key];
  if (!e) throw new Error(`spec changed: ${key} is gone`);
  return e;
}

/** Builds the contract from the OpenAPI text. Pure: same input, same output. */
export function deriveSpotifyContract(specText: string, specFile = 'fixed-spotify-open-api.yml'): SpotifyContract {
  const spec = parse(specText) as Node;
  const components = spec['components'] as Node;
  const rawSchemas = components['schemas'] as Record<string, Node>;
  const rawResponses = components['responses'] as Record<string, Node>;
  const schemas: Record<string, CompactSchema> = {};

  const deref = (ref: string): Node => {
    const name = ref.slice(SCHEMA_PREFIX.length);
    const raw = rawSchemas[name];
    if (!raw) throw new Error(`unresolved $ref ${ref}`);
    return raw;
  };

  const define = (name: string): void => {
    if (name in schemas) return;
    schemas[name] = {}; // placeholder first: cycles end here
    schemas[name] = convert(deref(SCHEMA_PREFIX + name));
  };

  /** Inline the object parts of an allOf into one object schema. */
  const flatten = (node: Node): Node => {
    if (typeof node['$ref'] === 'string') return flatten(deref(node['$ref']));
    if (!Array.isArray(node['allOf'])) return node;
    const merged: Node = { type: 'object', properties: {}, required: [] };
    for (const part of [...(node['allOf'] as Node[]), { ...node, allOf: undefined }]) {
      const flat = flatten(part);
      Object.assign(merged['properties'] as Node, flat['properties'] ?? {});
      (merged['required'] as string[]).push(...((flat['required'] as string[] | undefined) ?? []));
    }
    return merged;
  };

  const convert = (node: Node): CompactSchema => {
    if (typeof node['$ref'] === 'string') {
      const name = node['$ref'].slice(SCHEMA_PREFIX.length);
      define(name);
      return withNullable({ $ref: name }, node);
    }
    const allOf = node['allOf'];
    if (Array.isArray(allOf)) {
      // `allOf: [$ref]` plus a description is how the spec annotates a property: keep the ref.
      const only = allOf[0] as Node | undefined;
      if (allOf.length === 1 && only && typeof only['$ref'] === 'string' && !node['properties']) {
        return withNullable(convert(only), node);
      }
      return convert(flatten(node));
    }
    const out: CompactSchema = {};
    if (Array.isArray(node['oneOf'])) {
      out.oneOf = (node['oneOf'] as Node[]).map(convert);
      const d = node['discriminator'];
      if (isNode(d) && typeof d['propertyName'] === 'string') out.discriminator = d['propertyName'];
      return withNullable(out, node);
    }
    const type = node['type'] ?? (node['properties'] ? 'object' : undefined);
    if (typeof type === 'string') out.type = type as CompactSchema['type'];
    if (Array.isArray(node['enum'])) out.enum = [...(node['enum'] as (string | number)[])].sort();
    if (typeof node['format'] === 'string') out.format = node['format'];
    if (typeof node['minimum'] === 'number') out.minimum = node['minimum'];
    if (typeof node['maximum'] === 'number') out.maximum = node['maximum'];
    if (isNode(node['properties'])) {
      out.properties = {};
      for (const [k, v] of Object.entries(node['properties'])) out.properties[k] = convert(v as Node);
    }
    if (Array.isArray(node['required']) && node['required'].length > 0) {
      out.required = [...new Set(node['required'] as string[])].sort();
    }
    if (isNode(node['items'])) out.items = convert(node['items']);
    return withNullable(out, node);
  };

  const endpoints: SpotifyContract['endpoints'] = {};
  const paths = spec['paths'] as Record<string, Node>;
  for (const path of FAKE_ENDPOINTS) {
    const op = paths[path]?.['get'] as Node | undefined;
    if (!op) throw new Error(`spec has no GET ${path}`);
    const responses: Record<string, CompactSchema> = {};
    for (const [status, r] of Object.entries(op['responses'] as Record<string, Node>)) {
      const ref = r['$ref'];
      const response = typeof ref === 'string' ? rawResponses[ref.slice(RESPONSE_PREFIX.length)] : r;
      const content = response?.['content'] as Node | undefined;
      const schema = (content?.['application/json'] as Node | undefined)?.['schema'];
      responses[status] = isNode(schema) ? convert(schema) : { noBody: true };
    }
    endpoints[`GET ${path}`] = { responses };
  }

  const flow = ((((components['securitySchemes'] as Node)['oauth_2_0'] as Node)['flows'] as Node)[
    'authorizationCode'
  ] ?? {}) as Node;
  const info = spec['info'] as Node;
  const contract: SpotifyContract = {
    source: { file: specFile, title: String(info['title']), version: String(info['version']) },
    patches: PATCHES.map((p) => p.patch),
    oauth: {
      authorizationUrl: String(flow['authorizationUrl']),
      tokenUrl: String(flow['tokenUrl']),
      scopes: Object.keys((flow['scopes'] as Node | undefined) ?? {}).sort(),
      tokenResponse: {
        type: 'object',
        required: ['access_token', 'expires_in', 'token_type'],
        properties: {
          access_token: { type: 'string' },
          token_type: { type: 'string', enum: ['Bearer'] },
          expires_in: { type: 'integer' },
          refresh_token: { type: 'string' },
          scope: { type: 'string' },
        },
      },
      tokenErrorResponse: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' }, error_description: { type: 'string' } },
      },
    },
    endpoints,
    schemas,
  };
  for (const p of PATCHES) p.apply(contract);
  return contract;
}

function withNullable(out: CompactSchema, node: Node): CompactSchema {
  if (node['nullable'] === true) out.nullable = true;
  return out;
}

/** Renders with sorted object keys and a final newline, so regenerating is byte-stable. */
export function renderContract(contract: SpotifyContract): string {
  return `${JSON.stringify(sortKeys(contract), null, 2)}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isNode(v)) return v;
  const out: Node = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

const here = dirname(fileURLToPath(import.meta.url));
/** Default locations, relative to the repository root. */
export const DEFAULT_SPEC_PATH = resolve(here, '../../shared/specs/spotify/fixed-spotify-open-api.yml');
export const DEFAULT_CONTRACT_PATH = resolve(here, '../test/contracts/spotify.json');

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const specPath = resolve(process.argv[2] ?? DEFAULT_SPEC_PATH);
  const outPath = resolve(process.argv[3] ?? DEFAULT_CONTRACT_PATH);
  const contract = deriveSpotifyContract(readFileSync(specPath, 'utf8'));
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, renderContract(contract));
  console.log(
    `wrote ${outPath}: ${Object.keys(contract.endpoints).length} endpoints, ` +
      `${Object.keys(contract.schemas).length} schemas, ${contract.patches.length} patches`,
  );
}
