/**
 * `GET /healthz` (the process answers) and `GET /readyz` (it can do its work: data directory
 * open, bot connected). Plain text for probes and `curl`; logged at debug level so a probe
 * every few seconds does not fill the log.
 *
 * @example
 * createHealthRoutes({ readiness: () => ({ dataDir: db.status === 'open', bot: botStarted }) });
 */
import type { Logger } from 'pino';
import { TEXT } from './responses.ts';
import type { Route } from './route.ts';

/** Each part of readiness; `dataDir` and `bot` are required, more may be added. */
export interface ReadinessReport {
  readonly dataDir: boolean;
  readonly bot: boolean;
  readonly [part: string]: boolean;
}

/** Options of {@link createHealthRoutes}. */
export interface HealthRoutesOptions {
  /** Asked on every `/readyz`; a throw counts as not ready. */
  readonly readiness: () => ReadinessReport | Promise<ReadinessReport>;
  /** Where a throwing readiness check is logged (as `{ err }`). */
  readonly logger?: Logger;
}

/**
 * The two probe routes. `/readyz` answers 200 `ready`, or 503 `not ready: bot, dataDir`
 * naming the parts that are down (in a stable, sorted order).
 */
export function createHealthRoutes(options: HealthRoutesOptions): Route[] {
  return [
    { path: '/healthz', methods: ['GET'], logLevel: 'debug', handle: () => ({ status: 200, contentType: TEXT, body: 'ok' }) },
    {
      path: '/readyz',
      methods: ['GET'],
      logLevel: 'debug',
      async handle() {
        let down: string[];
        try {
          const report = await options.readiness();
          down = Object.keys(report).filter((part) => report[part] !== true).sort();
        } catch (err) {
          options.logger?.error({ err }, 'readiness check failed');
          down = ['readinessCheck'];
        }
        if (down.length === 0) return { status: 200, contentType: TEXT, body: 'ready' };
        return { status: 503, contentType: TEXT, body: `not ready: ${down.join(', ')}`, logFields: { notReady: down.join(',') } };
      },
    },
  ];
}
