/**
 * The running bot's local control socket: how a second process (the replay CLI's `backup`)
 * gets a consistent backup from a bot that holds the LevelDB lock.
 *
 * A Unix domain socket at `DATA_DIR/control.sock`, mode 0600: only the bot's own user can
 * connect, nothing listens on the network. One request per connection, one JSON line:
 * `{"op":"backup"}`. The answer is `OK\n` followed by the backup stream (see
 * `backupFormat.ts`), or `ERR <code>\n`. A backup cut off half-way has no trailer and is
 * refused by every reader, so the client needs no other error channel.
 *
 * @example
 * const control = await startControlServer({ path: controlSocketPath(dataDir), handlers: { backup: (out) => writeBackup(store, out) }, logger });
 * // another process:
 * await requestBackup(controlSocketPath(dataDir), createWriteStream('backup.mbk'));
 * await control.close(5_000);
 */
import { once } from 'node:events';
import { chmod, unlink } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../log.ts';
import { OpsError } from './errors.ts';

/** What the control socket can do. */
export interface ControlHandlers {
  /** Streams a backup into `out` and ends it. */
  backup(out: Writable): Promise<unknown>;
}

/** A listening control socket. */
export interface ControlServer {
  readonly path: string;
  /** Stops listening, lets running requests finish for up to `graceMs`, removes the socket file. */
  close(graceMs?: number): Promise<void>;
}

/** Longest socket path every platform takes (Linux allows 107 bytes, macOS 103). */
export const MAX_SOCKET_PATH_BYTES = 103;
const MAX_REQUEST_BYTES = 1024;
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * Listens on `path`, replacing a socket file left by a crashed run (the caller holds the data
 * dir's LevelDB lock, so no other bot can be using it). Returns undefined, after a warning,
 * when the path is too long for a Unix socket or cannot be listened on: the bot runs on
 * without it.
 */
export async function startControlServer(options: { path: string; handlers: ControlHandlers; logger: Logger }): Promise<ControlServer | undefined> {
  const { path, handlers, logger } = options;
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    logger.warn({ path }, 'control socket path too long: backups while the bot runs are off (use a shorter DATA_DIR, or stop the bot to back up)');
    return undefined;
  }
  await unlink(path).catch(() => undefined);
  const sockets = new Set<Socket>();
  const running = new Set<Promise<void>>();
  // Half-open: a client that ends its side right after the request still gets the answer.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const work = serve(socket, handlers, logger).finally(() => running.delete(work));
    running.add(work);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await chmod(path, 0o600);
  } catch (err) {
    server.close();
    await unlink(path).catch(() => undefined);
    logger.warn({ err, path }, 'control socket unavailable: backups while the bot runs are off (stop the bot to back up)');
    return undefined;
  }

  let closing: Promise<void> | undefined;
  return {
    path,
    close: (graceMs = 5_000) =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...running]), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        await closed;
        await unlink(path).catch(() => undefined);
      })()),
  };
}

async function serve(socket: Socket, handlers: ControlHandlers, logger: Logger): Promise<void> {
  let op: unknown;
  try {
    const line = await readLine(socket);
    op = (JSON.parse(line) as { op?: unknown }).op;
  } catch {
    socket.end('ERR BAD_REQUEST\n');
    return;
  }
  if (op !== 'backup') {
    socket.end('ERR UNKNOWN_OP\n');
    return;
  }
  logger.info({ op }, 'control: backup requested');
  try {
    socket.write('OK\n');
    await handlers.backup(socket);
    logger.info({ op }, 'control: backup sent');
  } catch (err) {
    logger.warn({ err, op }, 'control: backup failed');
    socket.destroy();
  }
}

/** Reads one `\n`-terminated line (bounded in size and time); leaves the socket paused. */
function readLine(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => done(new Error('timeout')), REQUEST_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const nl = buffered.indexOf('\n');
      if (nl >= 0) done(undefined, buffered.slice(0, nl));
      else if (buffered.length > MAX_REQUEST_BYTES) done(new Error('request too long'));
    };
    const onEnd = () => done(new Error('closed'));
    function done(err: Error | undefined, line?: string) {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.pause();
      if (err) reject(err);
      else resolve(line!);
    }
    socket.on('data', onData);
    socket.on('end', onEnd);
  });
}

/**
 * Asks the bot listening on `path` for a backup and writes the stream into `out` (ended).
 * The caller checks the result (`inspectBackup`): a cut-off stream has no valid trailer.
 *
 * @throws {OpsError} `BACKUP_UNREACHABLE` when nothing answers on `path` or the bot refuses.
 */
export async function requestBackup(path: string, out: Writable): Promise<void> {
  const socket = connect(path);
  try {
    await once(socket, 'connect');
  } catch (err) {
    socket.destroy();
    throw new OpsError(
      'BACKUP_UNREACHABLE',
      `the data dir is in use by another process, but ${path} does not answer: stop the bot and back up again, or see docs/operations.md (stop and copy)`,
      { cause: err },
    );
  }
  socket.write(`${JSON.stringify({ op: 'backup' })}\n`);
  async function* body(): AsyncGenerator<Buffer> {
    let head: Buffer | undefined = Buffer.alloc(0);
    for await (const chunk of socket as AsyncIterable<Buffer>) {
      if (head === undefined) {
        yield chunk;
        continue;
      }
      head = Buffer.concat([head, chunk]);
      const nl = head.indexOf(0x0a);
      if (nl < 0) {
        if (head.length > MAX_REQUEST_BYTES) throw new OpsError('BACKUP_UNREACHABLE', `${path} answered something that is not a bot control socket`);
        continue;
      }
      const status = head.subarray(0, nl).toString('utf8');
      if (status !== 'OK') throw new OpsError('BACKUP_UNREACHABLE', `the running bot refused the backup (${status.slice(0, 80)})`);
      const rest = head.subarray(nl + 1);
      head = undefined;
      if (rest.length > 0) yield rest;
    }
    if (head !== undefined) throw new OpsError('BACKUP_UNREACHABLE', 'the running bot closed the control socket without answering');
  }
  try {
    await pipeline(body(), out);
  } finally {
    socket.destroy();
  }
}
