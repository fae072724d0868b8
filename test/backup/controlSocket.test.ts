import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { inspectBackup } from '../../src/backup/backup.ts';
import { requestBackup, startControlServer, type ControlServer } from '../../src/backup/controlSocket.ts';
import { OpsError } from '../../src/backup/errors.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';

const Control = suite('the control socket');

let dir: string;
let server: ControlServer | undefined;

Control.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'ops-ctl-'));
  server = undefined;
});
Control.after.each(async () => {
  await server?.close(100);
  rmSync(dir, { recursive: true, force: true });
});

async function ask(path: string, line: string): Promise<string> {
  const socket = connect(path);
  await once(socket, 'connect');
  socket.end(line);
  let answer = '';
  for await (const chunk of socket) answer += String(chunk);
  return answer;
}

Control('only the owner may connect: the socket file has mode 0600, and a stale one from a crash is replaced', async () => {
  const path = join(dir, 'control.sock');
  writeFileSync(path, 'left over');
  server = await startControlServer({ path, handlers: { backup: async (out) => void out.end('x') }, logger: createMemoryLogger().logger });
  assert.ok(server);
  assert.ok(statSync(path).isSocket());
  assert.is(statSync(path).mode & 0o777, 0o600);
});

Control('a bad or unknown request is answered with an error line and nothing else', async () => {
  const path = join(dir, 'control.sock');
  let backups = 0;
  server = await startControlServer({ path, handlers: { backup: async (out) => void (backups++, out.end()) }, logger: createMemoryLogger().logger });
  assert.is(await ask(path, 'not json\n'), 'ERR BAD_REQUEST\n');
  assert.is(await ask(path, '{"op":"shutdown"}\n'), 'ERR UNKNOWN_OP\n');
  assert.is(await ask(path, '{"op":"backup"'), 'ERR BAD_REQUEST\n', 'a request without its newline');
  assert.is(backups, 0);
});

Control('a backup cut off half-way by the bot is refused by the client side check', async () => {
  const path = join(dir, 'control.sock');
  const logger = createMemoryLogger();
  server = await startControlServer({
    path,
    handlers: {
      backup: async (out: Writable) => {
        out.write(Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
        throw new Error('db closed under the backup');
      },
    },
    logger: logger.logger,
  });
  const file = join(dir, 'cut.mbk');
  await requestBackup(path, createWriteStream(file));
  try {
    await inspectBackup(file);
    assert.unreachable('a cut-off backup must not pass');
  } catch (err) {
    assert.instance(err, OpsError);
    assert.is((err as OpsError).code, 'BACKUP_CORRUPT');
  }
  assert.match(logger.text(), /control: backup failed/);
});

Control('nothing listening is BACKUP_UNREACHABLE, and so is a bot that refuses', async () => {
  try {
    await requestBackup(join(dir, 'nobody.sock'), new PassThrough());
    assert.unreachable();
  } catch (err) {
    assert.is((err as OpsError).code, 'BACKUP_UNREACHABLE');
  }
});

Control('a socket path too long for the platform turns the socket off with a warning instead of failing start-up', async () => {
  const log = createMemoryLogger();
  const path = join(dir, 'x'.repeat(120), 'control.sock');
  assert.is(await startControlServer({ path, handlers: { backup: async () => undefined }, logger: log.logger }), undefined);
  assert.match(log.text(), /control socket path too long/);
});

Control('a socket that cannot be created (no such directory) is logged and the bot runs on without it', async () => {
  const log = createMemoryLogger();
  assert.is(await startControlServer({ path: join(dir, 'missing', 'control.sock'), handlers: { backup: async () => undefined }, logger: log.logger }), undefined);
  assert.match(log.text(), /control socket unavailable/);
});

Control.run();
