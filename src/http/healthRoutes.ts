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

/** Each part of readiness; `dataDir` is required, `bot` is absent in a download worker, more may be added. */
export interface ReadinessReport {
  readonly dataDir: boolean;
  readonly bot?: boolean;
  readonly [part: string]: boolean | undefined;
}

/** Options of {@link createHealthRoutes}. */
export interface HealthRoutesOptions {
  /** Asked on every `/readyz`; a throw counts as not ready. */
  readonly readiness: () => ReadinessReport | Promise<ReadinessReport>;
  /**
   * Degradations the operator should read that do not make the bot unready (it still answers,
   * e.g. music links without Spotify's API): `{ spotify: 'Spotify refuses the app: …' }`. Each
   * becomes a `name: text` line after the first line of `/readyz`. A throw is ignored.
   */
  readonly details?: () => Readonly<Record<string, string>>;
  /** Where a throwing readiness check is logged (as `{ err }`). */
  readonly logger?: Logger;
}

/**
 * The two probe routes. `/readyz` answers 200 `ready`, or 503 `not ready: bot, dataDir`
 * naming the parts that are down (in a stable, sorted order); {@link HealthRoutesOptions.details}
 * follow as `name: text` lines (sorted) without changing the status.
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
        const notes = detailLines(options.details);
        const extra = notes.length === 0 ? '' : `\n${notes.map(([k, v]) => `${k}: ${v}`).join('\n')}`;
        const degraded: Record<string, string> = notes.length === 0 ? {} : { degraded: notes.map(([k]) => k).join(',') };
        if (down.length === 0) return { status: 200, contentType: TEXT, body: `ready${extra}`, logFields: degraded };
        return { status: 503, contentType: TEXT, body: `not ready: ${down.join(', ')}${extra}`, logFields: { notReady: down.join(','), ...degraded } };
      },
    },
  ];
}

/** The details as sorted `[name, text]` pairs, one line each (a broken source gives none). */
function detailLines(details: HealthRoutesOptions['details']): [string, string][] {
  let all: Readonly<Record<string, string>>;
  try {
    all = details?.() ?? {};
  } catch {
    return [];
  }
  return Object.entries(all)
    .map(([k, v]): [string, string] => [k, v.replace(/\s+/g, ' ').trim()])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
