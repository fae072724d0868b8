import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { once } from 'node:events';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../src/http/server.ts';
import type { Route, RouteRequest } from '../../src/http/route.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';
import { parseRawResponse, rawRequest, requestText } from '../helpers/rawHttp.ts';

const log = createMemoryLogger('debug');

/** A server on 127.0.0.1:0 that the test closes itself. */
async function start(routes: Route[], limits?: HttpServerOptions['limits']): Promise<{ server: HttpServer; port: number }> {
  const server = createHttpServer({ host: '127.0.0.1', port: 0, logger: log.logger, routes, ...(limits ? { limits } : {}) });
  const { port } = await server.listen();
  return { server, port };
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const hello: Route = { path: '/hello', methods: ['GET'], handle: () => ({ status: 200, body: 'hello' }) };

const Server = suite('http server');
Server.before.each(() => log.clear());

Server('HEAD is answered wherever GET is, with the length and no body', async () => {
  const { server, port } = await start([hello]);
  try {
    const res = await rawRequest(port, requestText('HEAD', '/hello'));
    assert.is(res.status, 200);
    assert.is(res.headers['content-length'], '5');
    assert.is(res.body, '');
  } finally {
    await server.close(1_000);
  }
});

Server('a wrong method gets 405 with Allow, an unknown path 404, a broken path escape 400', async () => {
  const post: Route = { path: '/in', methods: ['POST'], handle: () => ({ status: 204 }) };
  const { server, port } = await start([hello, post]);
  try {
    const r405 = await rawRequest(port, requestText('GET', '/in'));
    assert.is(r405.status, 405);
    assert.is(r405.headers.allow, 'POST');
    assert.is((await rawRequest(port, requestText('OPTIONS', '/hello'))).headers.allow, 'GET, HEAD');
    assert.is((await rawRequest(port, requestText('GET', '/nowhere'))).status, 404);
    assert.is((await rawRequest(port, requestText('GET', '/%E0%A4%A'))).status, 400);
    assert.is((await rawRequest(port, requestText('GET', '/hello?a=%ZZ'))).status, 400);
    assert.is((await rawRequest(port, requestText('GET', 'http://example.org/hello'))).status, 400);
  } finally {
    await server.close(1_000);
  }
});

Server('the log has one line per request with method, path, status and duration – never query, body or headers', async () => {
  const seen: RouteRequest[] = [];
  const hook: Route = {
    path: '/hook',
    methods: ['POST'],
    handle: (req) => {
      seen.push(req);
      return { status: 200, body: 'done' };
    },
  };
  const { server, port } = await start([hook]);
  try {
    const body = JSON.stringify({ secret: 'bodySecretValue123' });
    const res = await rawRequest(
      port,
      requestText('POST', '/hook?token=querySecretValue456', { Authorization: 'Bearer headerSecretValue789', 'Content-Type': 'application/json' }, body),
    );
    assert.is(res.status, 200);
    assert.is(seen[0]?.body.toString(), body, 'the handler gets the raw body');
    assert.is(seen[0]?.query.get('token'), 'querySecretValue456');
    const records = log.records();
    assert.is(records.length, 1);
    const line = records[0] ?? {};
    assert.is(line.method, 'POST');
    assert.is(line.path, '/hook');
    assert.is(line.status, 200);
    assert.type(line.ms, 'number');
    for (const secret of ['bodySecretValue123', 'querySecretValue456', 'headerSecretValue789', 'token=']) {
      assert.not.ok(log.text().includes(secret), secret);
    }
  } finally {
    await server.close(1_000);
  }
});

Server('a body over the route limit gets 413 and never reaches the handler', async () => {
  let calls = 0;
  const hook: Route = { path: '/hook', methods: ['POST'], maxBodyBytes: 64, handle: () => ((calls += 1), { status: 200 }) };
  const { server, port } = await start([hook]);
  try {
    const declared = await rawRequest(port, requestText('POST', '/hook', {}, 'x'.repeat(65)));
    assert.is(declared.status, 413);
    const chunk = 'x'.repeat(100);
    const chunked = await rawRequest(
      port,
      `POST /hook HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${(100).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    assert.is(chunked.status, 413);
    assert.is(calls, 0);
    assert.is((await rawRequest(port, requestText('POST', '/hook', {}, 'x'.repeat(64)))).status, 200);
  } finally {
    await server.close(1_000);
  }
});

Server('a throwing handler gives a detail-free 500, logs { err } and the server keeps serving', async () => {
  const boom: Route = {
    path: '/boom',
    methods: ['GET'],
    handle: () => {
      throw new Error('internal detail that must not reach the page');
    },
  };
  const { server, port } = await start([boom, hello]);
  try {
    const res = await rawRequest(port, requestText('GET', '/boom'));
    assert.is(res.status, 500);
    assert.not.ok(res.body.includes('internal detail'));
    const err = log.records().find((r) => r.level === 50)?.err as { message?: string } | undefined;
    assert.is(err?.message, 'internal detail that must not reach the page');
    assert.is((await rawRequest(port, requestText('GET', '/hello'))).status, 200);
  } finally {
    await server.close(1_000);
  }
});

Server('a handler past its time limit gets 503, its signal aborts, and its late failure is only logged', async () => {
  const aborted = deferred<boolean>();
  const slow: Route = {
    path: '/slow',
    methods: ['GET'],
    handle: (req) =>
      new Promise((_, reject) => {
        req.signal.addEventListener('abort', () => {
          aborted.resolve(true);
          reject(new Error('gave up after abort'));
        });
      }),
  };
  const { server, port } = await start([slow, hello], { handlerTimeoutMs: 50 });
  try {
    const res = await rawRequest(port, requestText('GET', '/slow'));
    assert.is(res.status, 503);
    assert.is(res.headers['x-frame-options'], 'DENY');
    assert.ok(await aborted.promise);
    assert.is((await rawRequest(port, requestText('GET', '/hello'))).status, 200, 'the process is still up');
    assert.ok(log.records().some((r) => r.msg === 'http handler failed'));
    assert.ok(log.records().some((r) => r.status === 503 && r.timedOut === true));
  } finally {
    await server.close(1_000);
  }
});

Server('headers that never finish get 408', async () => {
  const { server, port } = await start([hello], { headersTimeoutMs: 300, requestTimeoutMs: 300 });
  try {
    const res = await rawRequest(port, 'GET /hello HTTP/1.1\r\nHost: t\r\n');
    assert.is(res.status, 408);
    assert.is(res.headers['x-content-type-options'], 'nosniff');
  } finally {
    await server.close(1_000);
  }
});

Server('two routes on one path are refused at start-up', () => {
  assert.throws(
    () => createHttpServer({ host: '127.0.0.1', port: 0, logger: log.logger, routes: [hello, hello] }),
    (err: Error & { code?: string }) => err.code === 'HTTP_ROUTE_CONFIG',
  );
});

Server('listening on a taken port rejects with EADDRINUSE', async () => {
  const first = await start([hello]);
  const second = createHttpServer({ host: '127.0.0.1', port: first.port, logger: log.logger, routes: [hello] });
  try {
    await second.listen().then(
      () => assert.unreachable('second listen must fail'),
      (err: NodeJS.ErrnoException) => assert.is(err.code, 'EADDRINUSE'),
    );
  } finally {
    await first.server.close(1_000);
  }
});

Server.run();

const Close = suite('http server: graceful close');

Close('close finishes an in-flight slow request and refuses new connections', async () => {
  const entered = deferred();
  const release = deferred();
  const slow: Route = {
    path: '/slow',
    methods: ['GET'],
    handle: async () => {
      entered.resolve();
      await release.promise;
      return { status: 200, body: 'finished' };
    },
  };
  const { server, port } = await start([slow]);
  const agent = new Agent({ keepAlive: true });
  const response = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
  await entered.promise;
  const closed = server.close(30_000);
  const refused = connect(port, '127.0.0.1');
  const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
  assert.is(err.code, 'ECONNREFUSED');
  release.resolve();
  const res = await response;
  assert.is(res.status, 200);
  assert.is(res.body, 'finished');
  assert.is(res.connection, 'close', 'a keep-alive client is told the connection ends');
  await closed;
  assert.is(server.address(), null);
  agent.destroy();
});

Close('close destroys a request that outlasts the grace time', async () => {
  const entered = deferred();
  const stuck: Route = {
    path: '/stuck',
    methods: ['GET'],
    handle: () => {
      entered.resolve();
      return new Promise(() => {});
    },
  };
  const { server, port } = await start([stuck]);
  const socket = connect(port, '127.0.0.1', () => socket.write(requestText('GET', '/stuck')));
  socket.on('error', () => {});
  const socketClosed = once(socket, 'close');
  let received = '';
  socket.on('data', (c) => (received += c));
  await entered.promise;
  await server.close(20);
  await socketClosed;
  assert.is(parseRawResponse(received).status, 0, 'no response, the socket was destroyed');
});

Close('idle keep-alive connections do not hold close up', async () => {
  const { server, port } = await start([hello]);
  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path: '/hello', agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
  await server.close(60_000); // would wait for the grace time if the idle socket were kept
  agent.destroy();
});

Close.run();
