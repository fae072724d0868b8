/**
 * The visualizer shows every user's link state: it listens on the loopback interface only,
 * unless explicitly told otherwise, and answers only requests addressed to that host (a
 * `Host` check against DNS rebinding, where a web page would otherwise reach 127.0.0.1
 * through a name of its own).
 *
 * @module
 */
import { isIP } from 'node:net';

/** Thrown when asked to listen on a non-loopback host without the explicit override. */
export class VizHostRefusedError extends Error {
  override readonly name = 'VizHostRefusedError';
  readonly code = 'VIZ_HOST_REFUSED';
  constructor(readonly host: string) {
    super(
      `the visualizer listens on 127.0.0.1 only; ${JSON.stringify(host)} would show every user's link state to the network. ` +
        'Pass --i-know (allowNonLoopback: true) together with --host if you really mean it.',
    );
  }
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Checks the listen address.
 * @throws {VizHostRefusedError} for a non-loopback host unless `allowNonLoopback`.
 */
export function checkListenHost(host: string, allowNonLoopback: boolean): void {
  if (!isLoopbackHost(host) && !allowNonLoopback) throw new VizHostRefusedError(host);
}

/**
 * The `Host` header values the server answers: loopback names on its port, plus the listen
 * host itself (for a deliberate non-loopback bind).
 */
export function hostHeaderAllowed(header: string | undefined, listenHost: string, port: number): boolean {
  if (!header) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header.trim());
  if (!m || (m[2] !== undefined && Number(m[2]) !== port)) return false;
  const name = m[1]!.replace(/^\[|\]$/g, '').toLowerCase();
  return isLoopbackHost(name) || name === listenHost.replace(/^\[|\]$/g, '').toLowerCase();
}
