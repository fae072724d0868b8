import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createHealthRoutes, type ReadinessReport } from '../../src/http/healthRoutes.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';
import { rawRequest, requestText } from '../helpers/rawHttp.ts';

const Health = suite('health routes');
const log = createMemoryLogger('info');
let report: ReadinessReport | Error = { dataDir: true, bot: true };
let details: Record<string, string> | Error = {};
let server: HttpServer;
let port = 0;

Health.before(async () => {
  server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: log.logger,
    routes: createHealthRoutes({
      readiness: async () => {
        if (report instanceof Error) throw report;
        return report;
      },
      details: () => {
        if (details instanceof Error) throw details;
        return details;
      },
      logger: log.logger,
    }),
  });
  ({ port } = await server.listen());
});
Health.after(() => server.close(1_000));
Health.before.each(() => {
  log.clear();
  details = {};
});

Health('/healthz answers 200 ok while the process runs', async () => {
  const res = await rawRequest(port, requestText('GET', '/healthz'));
  assert.is(res.status, 200);
  assert.is(res.body, 'ok');
  assert.is(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.is(res.headers['x-content-type-options'], 'nosniff');
});

Health('/readyz answers 200 when the data directory is open and the bot connected', async () => {
  report = { dataDir: true, bot: true };
  const res = await rawRequest(port, requestText('GET', '/readyz'));
  assert.is(res.status, 200);
  assert.is(res.body, 'ready');
});

Health('/readyz answers 503 naming each part that is not ready', async () => {
  report = { dataDir: true, bot: false };
  assert.is((await rawRequest(port, requestText('GET', '/readyz'))).body, 'not ready: bot');
  report = { dataDir: false, bot: false };
  const res = await rawRequest(port, requestText('GET', '/readyz'));
  assert.is(res.status, 503);
  assert.is(res.body, 'not ready: bot, dataDir');
});

Health('/readyz adds a detail line the operator can act on without turning the bot unready', async () => {
  report = { dataDir: true, bot: true };
  details = { spotify: "Spotify refuses the app: renew Premium on the app owner's account", cache: 'slow\n disk' };
  const res = await rawRequest(port, requestText('GET', '/readyz'));
  assert.is(res.status, 200);
  assert.is(res.body, "ready\ncache: slow disk\nspotify: Spotify refuses the app: renew Premium on the app owner's account");
  report = { dataDir: true, bot: false };
  const down = await rawRequest(port, requestText('GET', '/readyz'));
  assert.is(down.status, 503);
  assert.ok(down.body.startsWith('not ready: bot\ncache: '), down.body);
});

Health('a details source that throws changes nothing', async () => {
  report = { dataDir: true, bot: true };
  details = new Error('broken');
  const res = await rawRequest(port, requestText('GET', '/readyz'));
  assert.equal([res.status, res.body], [200, 'ready']);
});

Health('a readiness check that throws reads as not ready and is logged', async () => {
  report = new Error('level closed');
  const res = await rawRequest(port, requestText('GET', '/readyz'));
  assert.is(res.status, 503);
  assert.is(res.body, 'not ready: readinessCheck');
  assert.ok(log.records().some((r) => r.msg === 'readiness check failed'));
});

Health('probes are logged at debug level so they do not fill an info log', async () => {
  report = { dataDir: true, bot: true };
  await rawRequest(port, requestText('GET', '/healthz'));
  assert.not.ok(log.records().some((r) => r.msg === 'http request'));
});

Health.run();
