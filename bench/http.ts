/**
 * Benchmark: requests/s of `GET /oauth/spotify/callback` with an unknown state (validated by
 * zod, answered by a fake flow with `unknownState`, rendered, logged by pino at info level to
 * the null device) against a bare `node:http` server answering 400, in the same run, with the
 * same keep-alive client and the same number of connections. Target ratio: ≥ 0.5.
 *
 * Run: `npx tsx bench/http.ts` or `npm run bench -- http`.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import { devNull } from 'node:os';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { createCallbackRoute } from '../src/http/callbackRoute.ts';
import { createHealthRoutes } from '../src/http/healthRoutes.ts';
import { createHttpServer } from '../src/http/server.ts';

/** Options of {@link run}; the defaults are what the figures in the report use. */
export interface HttpBenchOptions {
  /** Requests per measured round. */
  readonly requests?: number;
  /** Parallel keep-alive connections (the agent's `maxSockets`). */
  readonly connections?: number;
  /** Measured rounds per server, alternating; medians are reported. */
  readonly rounds?: number;
}

// A well-formed callback whose state nobody issued: the full validation path, then 400.
const TARGET = '/oauth/spotify/callback?code=AQBbenchCodeValue-abcdefghijklmnopqrstuvwxyz0123456789&state=benchStateUnknown_0123456789abcdefghijk';

/** Sends `total` GETs over `connections` keep-alive sockets; resolves with requests/s. */
async function measure(port: number, total: number, connections: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let sent = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: TARGET, agent, headers: { 'accept-language': 'ru-RU,ru;q=0.9' } }, (res) => {
        if (res.statusCode !== 400) reject(new Error(`expected 400, got ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
  const worker = async () => {
    while (sent < total) {
      sent += 1;
      await one();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return total / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function listenBare(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.statusCode = 400;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('bad request');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : 0 });
    });
  });
}

/** Runs the benchmark and prints both figures and their ratio. */
export async function run(options: HttpBenchOptions = {}): Promise<void> {
  const requests = options.requests ?? 10_000;
  const connections = options.connections ?? 16;
  const rounds = options.rounds ?? 5;

  const logger = pino({ level: 'info' }, pino.destination({ dest: devNull, sync: false }));
  const flow = { handleCallback: async () => ({ kind: 'unknownState' as const }) };
  const ours = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    routes: [...createHealthRoutes({ readiness: () => ({ dataDir: true, bot: true }) }), createCallbackRoute({ flow, botUsername: 'BenchBot', logger })],
  });
  const { port: oursPort } = await ours.listen();
  const bare = await listenBare();

  try {
    // Warm-up: JIT, page caches, sockets.
    await measure(bare.port, Math.min(3_000, requests), connections);
    await measure(oursPort, Math.min(3_000, requests), connections);
    const bareRates: number[] = [];
    const ourRates: number[] = [];
    for (let i = 0; i < rounds; i++) {
      bareRates.push(await measure(bare.port, requests, connections));
      ourRates.push(await measure(oursPort, requests, connections));
    }
    const bareRps = median(bareRates);
    const ourRps = median(ourRates);
    // Each round pairs two back-to-back measurements: their ratio is less skewed by load
    // from other processes than a ratio of two medians taken at different times.
    const ratio = median(ourRates.map((r, i) => r / (bareRates[i] ?? r)));
    console.log(`http: ${requests} requests x ${rounds} rounds, ${connections} keep-alive connections (medians)`);
    console.log(`  bare node:http 400          ${bareRps.toFixed(0).padStart(8)} req/s`);
    console.log(`  callback, unknown state     ${ourRps.toFixed(0).padStart(8)} req/s`);
    console.log(`  ratio ${ratio.toFixed(2)} (target >= 0.50) ${ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`);
  } finally {
    await ours.close(1_000);
    await new Promise<void>((resolve) => bare.server.close(() => resolve()));
    bare.server.closeAllConnections();
    logger.flush();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
