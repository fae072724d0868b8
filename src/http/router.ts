/**
 * Exact-path routing with method lists: the lookup the server does before anything else.
 */
import type { HttpMethod, Route } from './route.ts';

/** The result of {@link Router.match}. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'methodNotAllowed'; readonly allow: string };

/** A frozen table of routes; build it with {@link createRouter}. */
export interface Router {
  match(method: string, path: string): RouteMatch;
}

/** Thrown at start-up when two routes claim one path or a route is malformed. */
export class RouteConfigError extends Error {
  readonly code = 'HTTP_ROUTE_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'RouteConfigError';
  }
}

interface Entry {
  readonly route: Route;
  readonly methods: ReadonlySet<string>;
  readonly allow: string;
}

/**
 * Builds a router. Paths must start with `/` and be unique; `GET` implies `HEAD`.
 * An unknown path matches `notFound` whatever the method; a known path with another method
 * matches `methodNotAllowed` with the `Allow` header value.
 */
export function createRouter(routes: readonly Route[]): Router {
  const table = new Map<string, Entry>();
  for (const route of routes) {
    if (!route.path.startsWith('/')) throw new RouteConfigError(`Route path "${route.path}" must start with "/".`);
    if (table.has(route.path)) throw new RouteConfigError(`Two routes claim the path "${route.path}".`);
    if (route.methods.length === 0) throw new RouteConfigError(`Route "${route.path}" declares no methods.`);
    const methods = new Set<HttpMethod>(route.methods);
    if (methods.has('GET')) methods.add('HEAD');
    table.set(route.path, { route, methods, allow: [...methods].join(', ') });
  }
  return {
    match(method, path) {
      const entry = table.get(path);
      if (entry === undefined) return { kind: 'notFound' };
      if (!entry.methods.has(method)) return { kind: 'methodNotAllowed', allow: entry.allow };
      return { kind: 'found', route: entry.route };
    },
  };
}
