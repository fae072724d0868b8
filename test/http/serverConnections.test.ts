/**
 * The server's cap on open connections (issue 11, item 13): connections beyond
 * `maxConnections` are closed at once without an answer, while those already open keep
 * being served, and a slot freed by a closing connection can be taken again.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { createHttpServer, DEFAULT_HTTP_LIMITS, type HttpServer } from '../../src/http/server.ts';
import type { Route } from '../../src/http/route.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';
import { parseRawResponse, rawRequest, requestText, type RawResponse } from '../helpers/rawHttp.ts';

const log = createMemoryLogger('debug');
const hello: Route = { path: '/hello', methods: ['GET'], handle: () => ({ status: 200, body: 'hello' }) };

async function start(maxConnections?: number): Promise<{ server: HttpServer; port: number }> {
  const server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: log.logger,
    routes: [hello],
    ...(maxConnections === undefined ? {} : { limits: { maxConnections } }),
  });
  const { port } = await server.listen();
  return { server, port };
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** One keep-alive request on an open socket; resolves with the response, the socket stays open. */
function ask(socket: Socket): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let raw = '';
    const onData = (chunk: Buffer) => {
      raw += chunk.toString('utf8');
      const res = parseRawResponse(raw);
      if (res.status !== 0 && res.body.length >= Number(res.headers['content-length'] ?? 0)) {
        socket.off('data', onData);
        socket.off('close', onClose);
        resolve(res);
      }
    };
    const onClose = () => reject(new Error('closed before a response'));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write('GET /hello HTTP/1.1\r\nHost: t\r\n\r\n');
  });
}

const Conn = suite('http server: connection cap');
Conn.before.each(() => log.clear());

Conn('by default, the connection past DEFAULT_HTTP_LIMITS.maxConnections is closed unanswered; the open ones are served', async () => {
  const { server, port } = await start();
  const sockets: Socket[] = [];
  try {
    // Opened one after another, so the server takes them in this order.
    for (let i = 0; i < DEFAULT_HTTP_LIMITS.maxConnections; i++) sockets.push(await open(port));
    assert.is((await ask(sockets[0]!)).status, 200);
    const refused = await rawRequest(port, requestText('GET', '/hello'));
    assert.is(refused.status, 0, 'no answer on a connection over the cap');
    assert.is((await ask(sockets.at(-1)!)).status, 200, 'the last one within the cap is served');
  } finally {
    for (const s of sockets) s.destroy();
    await server.close(1_000);
  }
});

Conn('a configured cap of 2: a third is refused, the two keep working, a freed slot is taken again', async () => {
  const { server, port } = await start(2);
  const a = await open(port);
  const b = await open(port);
  try {
    assert.is((await ask(a)).status, 200);
    assert.is((await ask(b)).status, 200);
    for (let i = 0; i < 3; i++) assert.is((await rawRequest(port, requestText('GET', '/hello'))).status, 0);
    assert.is((await ask(a)).status, 200);
    assert.is((await ask(b)).status, 200);
    const warnings = log.records().filter((r) => r.msg === 'http connections refused: too many open');
    assert.is(warnings.length, 1, 'one summary line, not one per refused connection');
    assert.is(warnings[0]?.maxConnections, 2);

    a.end();
    await once(a, 'close');
    // The server counts the slot free once its side of `a` has closed: a few tries at most.
    let status = 0;
    for (let i = 0; i < 50 && status === 0; i++) status = (await rawRequest(port, requestText('GET', '/hello'))).status;
    assert.is(status, 200);
  } finally {
    a.destroy();
    b.destroy();
    await server.close(1_000);
  }
});

Conn.run();
