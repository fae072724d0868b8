import { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, redactDeep, scrubText } from '../src/log.ts';

const secrets = {
  accessToken: 'BQDaccess-token-value-1234567890',
  refreshToken: 'AQArefresh-token-value-0987654321',
  code: 'AQBcode-value-abcdefABCDEF123456',
  state: 'st4te-value-QWERTYqwerty123456',
  verifier: 'verifier-value-zxcvbnmZXCVBNM0987',
  clientSecret: 'clientsecret0123456789abcdef',
  bearer: 'bearer-value-POIUYTpoiuyt',
  botToken: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
};

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const log = createLogger({ level: 'trace', destination });
  const flush = () => new Promise((r) => setImmediate(r)).then(() => lines.join(''));
  return { log, flush };
}

function assertNoSecret(output: string) {
  for (const [name, value] of Object.entries(secrets)) {
    assert.not.ok(output.includes(value), `${name} leaked into the log: ${output}`);
  }
}

const Redaction = suite('log redaction');

Redaction('secret properties at any depth never reach the output', async () => {
  const { log, flush } = capture();
  log.info({ user: 1, tokens: { access_token: secrets.accessToken, refresh_token: secrets.refreshToken } }, 'tokens');
  log.info({ req: { headers: { Authorization: `Bearer ${secrets.bearer}`, 'X-Telegram-Bot-Api-Secret-Token': secrets.clientSecret } } });
  log.child({ module: 'oauth', state: secrets.state }).warn({ code: secrets.code, codeVerifier: secrets.verifier }, 'callback');
  log.debug({ list: [{ client_secret: secrets.clientSecret }] });
  const out = await flush();
  assertNoSecret(out);
  assert.ok(out.includes('[redacted]'));
  assert.ok(out.includes('"module":"oauth"'), 'ordinary fields are kept');
});

Redaction('secrets inside strings, URLs and message arguments are scrubbed', async () => {
  const { log, flush } = capture();
  log.info(`GET /oauth/spotify/callback?code=${secrets.code}&state=${secrets.state}`);
  log.info({ url: `https://api.telegram.org/bot${secrets.botToken}/getUpdates` }, 'calling');
  log.info('header %s', `Bearer ${secrets.bearer}`);
  const out = await flush();
  assertNoSecret(out);
  assert.ok(out.includes('/oauth/spotify/callback?code=[redacted]'), 'the path stays readable');
});

Redaction('errors carrying secrets in message, properties and cause are redacted', async () => {
  const { log, flush } = capture();
  const err = Object.assign(new Error(`token exchange failed for code=${secrets.code}`), {
    refreshToken: secrets.refreshToken,
    request: { headers: { authorization: `Basic ${secrets.clientSecret}` } },
    code: 'TOKEN_EXCHANGE_FAILED',
  });
  err.cause = new Error(`Bearer ${secrets.bearer} rejected`);
  log.error({ err }, 'exchange failed');
  log.error(err);
  const out = await flush();
  assertNoSecret(out);
  assert.ok(out.includes('TOKEN_EXCHANGE_FAILED'), 'an error code is kept for debugging');
  assert.ok(out.includes('exchange failed'));
});

Redaction('child loggers carry their module name', async () => {
  const { log, flush } = capture();
  log.child({ module: 'eventlog' }).info('opened');
  const line = JSON.parse((await flush()).trim());
  assert.is(line.module, 'eventlog');
  assert.is(line.msg, 'opened');
  assert.is(line.level, 'info');
});

Redaction('redactDeep survives cycles and leaves plain values alone', () => {
  const a: Record<string, unknown> = { n: 1, s: 'plain text', token: 'x' };
  a.self = a;
  const out = redactDeep(a) as Record<string, unknown>;
  assert.is(out.n, 1);
  assert.is(out.s, 'plain text');
  assert.is(out.token, '[redacted]');
  assert.is(out.self, '[circular]');
  assert.is(scrubText('no secrets here'), 'no secrets here');
});

Redaction.run();
