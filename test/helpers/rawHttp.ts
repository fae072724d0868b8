/**
 * HTTP requests for server tests, written byte for byte on a plain TCP socket so that
 * malformed requests (broken escapes, huge headers, odd methods) reach the server exactly as
 * sent – `fetch` and `http.request` refuse or rewrite many of them.
 *
 * @example
 * const res = await rawRequest(port, 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
 * assert.is(res.status, 200);
 */
import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the server closed without a status line. */
  readonly status: number;
  /** Lower-case header names; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly raw: string;
}

/** Parses one HTTP/1.1 response (the whole bytes the server sent before closing). */
export function parseRawResponse(raw: string): RawResponse {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body, raw };
}

/**
 * Sends `request` (send `Connection: close` in it) and resolves with the response once the
 * server closes the connection. Rejects when nothing arrives within `timeoutMs`.
 */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    // A reset after the server wrote its answer still leaves a usable response.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseRawResponse(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

/** Builds a request text: `GET <target> HTTP/1.1` plus `Host`, the headers, `Connection: close`. */
export function requestText(method: string, target: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
