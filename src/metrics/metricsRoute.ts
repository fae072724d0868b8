/**
 * `GET /metrics`: the Prometheus text exposition for the built-in HTTP server. It listens on
 * `HTTP_HOST` like every route; keep it off the tunnel (see docs/operations.md, the
 * cloudflared ingress only forwards the OAuth callback and the webhook). Logged at debug level
 * so a scrape every 15 s does not fill the log.
 *
 * @example
 * const routes = [...createHealthRoutes({ readiness }), createMetricsRoute(metrics)];
 */
import type { Route } from '../http/route.ts';
import type { Metrics } from './metrics.ts';

/** The path Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** Builds the route. */
export function createMetricsRoute(metrics: Pick<Metrics, 'render' | 'contentType'>): Route {
  return {
    path: METRICS_PATH,
    methods: ['GET'],
    logLevel: 'debug',
    async handle() {
      return { status: 200, contentType: metrics.contentType, body: await metrics.render() };
    },
  };
}
