/**
 * `docker-compose.scale.yml` and `deploy/nginx-scale.conf` read as files (docker is not run
 * here): the services the scale-out needs, started in the right order, healthy by `/readyz`,
 * and a balancer that passes on only the two public routes, to every web.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { WEBHOOK_PATH } from '../../src/bot/webhookRoute.ts';
import { CALLBACK_PATH } from '../../src/config.ts';

const root = new URL('../..', import.meta.url).pathname;

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}

const compose = parse(readFileSync(join(root, 'docker-compose.scale.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
// Directives only: the comments may name what is not proxied.
const nginx = readFileSync(join(root, 'deploy/nginx-scale.conf'), 'utf8').replace(/#.*$/gm, '');
const bots = Object.entries(services).filter(([, s]) => s.environment?.BOT_ROLE !== undefined);
const byRole = (role: string) => bots.filter(([, s]) => s.environment!.BOT_ROLE === role).map(([name]) => name);

const Compose = suite('docker-compose.scale.yml');

Compose('PostgreSQL 15 keeps its data in a volume and is healthy by pg_isready', () => {
  const pg = services['postgres']!;
  assert.match(pg.image ?? '', /^postgres:15(\.|-|$)/);
  const volume = pg.volumes?.find((v) => v.endsWith(':/var/lib/postgresql/data'));
  assert.ok(volume && volume.split(':')[0]! in compose.volumes, 'a named volume');
  assert.match(pg.healthcheck?.test.join(' ') ?? '', 'pg_isready');
});

Compose('the migrations run once, after PostgreSQL is healthy, and every bot waits for them', () => {
  const migrate = services['migrate']!;
  assert.match(migrate.command?.join(' ') ?? '', 'npm run migrate');
  assert.equal(migrate.depends_on, { postgres: { condition: 'service_healthy' } });
  for (const [name, s] of bots) {
    assert.equal((s.depends_on as Record<string, unknown>)['migrate'], { condition: 'service_completed_successfully' }, name);
    assert.equal((s.depends_on as Record<string, unknown>)['postgres'], { condition: 'service_healthy' }, name);
  }
});

Compose('two webs and two workers, in webhook mode on the one database, healthy by /readyz, given time to stop', () => {
  assert.equal(byRole('web'), ['web1', 'web2']);
  assert.equal(byRole('worker'), ['worker1', 'worker2']);
  for (const [name, s] of bots) {
    const env = s.environment!;
    assert.is(env.BOT_MODE, 'webhook', name);
    assert.match(env.DATABASE_URL ?? '', /^postgres:\/\/[^@]+@postgres:5432\//, name);
    assert.match(s.healthcheck?.test.join(' ') ?? '', /127\.0\.0\.1:8080\/readyz/, name);
    assert.is(s.stop_grace_period, '30s', name);
    assert.is(s.ports, undefined, `${name} publishes nothing: only the balancer is reachable`);
  }
});

Compose('only the balancer is published, on the loopback, with the committed config', () => {
  const lb = services['lb']!;
  assert.match(lb.image ?? '', /^nginx:/);
  assert.equal(lb.ports, ['127.0.0.1:8080:8080']);
  assert.ok(lb.volumes?.includes('./deploy/nginx-scale.conf:/etc/nginx/conf.d/default.conf:ro'));
  const published = Object.entries(services).filter(([, s]) => s.ports !== undefined).map(([n]) => n);
  assert.equal(published, ['lb']);
});

Compose('nginx sends every web the webhook and the OAuth callback, skips a dead one, and nothing else', () => {
  for (const web of byRole('web')) assert.match(nginx, new RegExp(`server ${web}:8080 resolve max_fails=1 fail_timeout=\\d+s;`), web);
  const upstreams = [...nginx.matchAll(/^\s*server (\S+):\d+/gm)].map((m) => m[1]);
  assert.equal(upstreams, byRole('web'), 'no worker behind the balancer');
  const proxied = [...nginx.matchAll(/location = (\S+) \{[^}]*?\}[^}]*?proxy_pass http:\/\/bot_web;/g)].map((m) => m[1]);
  assert.equal(proxied.sort(), [CALLBACK_PATH, WEBHOOK_PATH].sort());
  assert.match(nginx, /location \/ \{\s*return 404;/);
  assert.not.match(nginx, /\/metrics|\/readyz/, '/metrics and /readyz are not public');
  assert.match(nginx, /proxy_next_upstream error timeout/);
  assert.not.match(nginx, /non_idempotent/, 'a webhook POST that reached a web is never sent twice by nginx');
});

Compose.run();
