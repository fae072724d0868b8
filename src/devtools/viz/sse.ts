/**
 * Server-sent events for the visualizer page: a set of open `text/event-stream` responses,
 * a broadcast to all of them, and a comment line every 15 s so that proxies and the browser
 * keep idle connections open.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';

const HEARTBEAT_MS = 15_000;

/** Formats one SSE message (`event:` name and a one-line JSON `data:`). */
export function sseMessage(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The open event streams. */
export class SseHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor() {
    this.#heartbeat = setInterval(() => this.#write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  /** Number of connected pages. */
  get size(): number {
    return this.#clients.size;
  }

  /** Takes over `res` as an event stream and sends it `first` (the current picture). */
  add(res: ServerResponse, headers: Record<string, string>, first: string): void {
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    // A reconnecting EventSource waits this long; the page shows "reconnecting" meanwhile.
    res.write('retry: 2000\n\n');
    res.write(first);
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  }

  /** Sends one message to every page. */
  broadcast(event: string, data: unknown): void {
    this.#write(sseMessage(event, data));
  }

  #write(text: string): void {
    for (const res of this.#clients) if (!res.destroyed) res.write(text);
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}
