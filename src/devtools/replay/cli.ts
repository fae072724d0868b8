/**
 * The event-replay CLI (`npm run replay -- <command>`, or `npx tsx src/devtools/replay/cli.ts`):
 * `users`, `history`, `at`, `rebuild`, `verify`, `backup`, `restore`, `export`, `import`. It
 * reads the bot's data dir (or PostgreSQL log) and never starts the bot, the HTTP server or any
 * effect; it never writes an existing log (`import` fills only an empty one).
 *
 * Each subcommand is one file exporting a {@link Command}; add it to {@link COMMANDS}.
 * This file parses the shared options, picks the command, prints its text or JSON, and turns
 * errors into one readable line, a hint and an exit code (0 ok, 1 problem, 2 usage).
 *
 * This entry point (like `main.ts`) is where the environment is read: `DATA_DIR` (or the
 * `DATA_DIR` line of `./.env`) only, as the default of `--data-dir`.
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EventLogError } from '../../../eventlog/index.ts';
import { atCommand } from './at.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import type { Command, CommandContext, CommandOutput } from './command.ts';
import { exportCommand } from './exportCommand.ts';
import { importCommand } from './importCommand.ts';
import { SCHEMA_NAME } from '../../../eventlog/postgres/index.ts';
import { openDatabaseReader, openDatabaseWriter, type DatabaseTarget } from './database.ts';
import { defaultDataDir, openLogReader, openLogWriter } from './dataDir.ts';
import { EXIT, ReplayError, usageError } from './errors.ts';
import { commandHelp, GLOBAL_OPTIONS, mainHelp } from './help.ts';
import { historyCommand } from './history.ts';
import { rebuildCommand } from './rebuild.ts';
import { usersCommand } from './users.ts';
import { verifyCommand } from './verify.ts';

/** Every subcommand, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  usersCommand,
  historyCommand,
  atCommand,
  rebuildCommand,
  verifyCommand,
  backupCommand,
  restoreCommand,
  exportCommand,
  importCommand,
];

/** Where the CLI writes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stdout as a stream, for data large enough to need backpressure (`export --out -`). */
  stdoutStream?: NodeJS.WritableStream;
}

/** Writes to `io`'s stdout and waits for a full stream buffer to drain. */
function stdoutWriter(io: CliIo): (text: string) => Promise<void> {
  const stream = io.stdoutStream;
  if (!stream) return async (text) => io.stdout(text);
  return (text) => (stream.write(text) ? Promise.resolve() : new Promise((resolve) => stream.once('drain', () => resolve())));
}

function allOptions(commands: readonly Command[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  for (const c of commands) for (const [name, o] of Object.entries(c.options ?? {})) options[name] = { type: o.type };
  return options;
}

/** Parses `argv`; throws a usage error for unknown options, commands or argument counts. */
function parse(argv: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: allOptions(COMMANDS), allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError((err as Error).message.split('\n')[0]!, 'run `replay --help` for the commands and options');
  }
  const { values, positionals } = parsed;
  let [name, ...args] = positionals;
  let helpAsked = values['help'] === true;
  if (name === 'help') {
    // `replay help [command]` is `replay [command] --help`.
    [name, args, helpAsked] = [args[0], [], true];
  }
  const command = COMMANDS.find((c) => c.name === name);
  return { values: values as Record<string, string | boolean | undefined>, name, command, args, helpAsked };
}

function checkCommand(command: Command, values: Record<string, string | boolean | undefined>, args: readonly string[]): void {
  const own = new Set(Object.keys(command.options ?? {}));
  for (const key of Object.keys(values)) {
    if (!(key in GLOBAL_OPTIONS) && !own.has(key)) throw usageError(`${command.name} takes no --${key} option`, `run \`replay ${command.name} --help\``);
  }
  if (values['copy'] && !command.acceptsCopy) {
    throw usageError(`${command.name} cannot work on a --copy: it would change only a throwaway copy`, 'stop the bot, then run it without --copy');
  }
  if (values['database-url'] !== undefined && !command.acceptsDatabase) {
    throw usageError(`${command.name} works on a LevelDB data dir, not on PostgreSQL`, 'back a PostgreSQL database up with pg_dump (docs/operations.md)');
  }
  if (values['database-url'] !== undefined && values['copy']) throw usageError('--copy is for a data dir; a PostgreSQL read is one consistent snapshot per query', 'drop --copy');
  const optional = command.optionalArgs ?? [];
  if (args.length < command.args.length || args.length > command.args.length + optional.length) {
    const all = [...command.args, ...optional.map((a) => `[${a}]`)];
    throw usageError(`${command.name} takes ${all.length ? all.join(' ') : 'no arguments'}`, `run \`replay ${command.name} --help\``);
  }
}

function printError(err: ReplayError, json: boolean, io: CliIo): void {
  if (json) {
    io.stdout(JSON.stringify({ error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } }, null, 2) + '\n');
  } else {
    io.stderr(`replay: ${err.message}\n${err.hint ? `${err.hint}\n` : ''}`);
  }
}

/** `--database-url <url|env>` and `--schema`, when the log is in PostgreSQL. */
function databaseTarget(values: Record<string, string | boolean | undefined>, env: Readonly<Record<string, string | undefined>>): DatabaseTarget | undefined {
  const given = values['database-url'];
  if (typeof given !== 'string') return undefined;
  const url = given === 'env' ? env['DATABASE_URL'] : given;
  if (!url || !/^postgres(ql)?:\/\/./.test(url)) {
    throw usageError('--database-url needs a postgres:// URL, or `env` with DATABASE_URL set', 'e.g. DATABASE_URL=postgres://bot:…@db/bot npm run replay -- users --database-url env');
  }
  const schema = typeof values['schema'] === 'string' ? values['schema'] : env['DATABASE_SCHEMA'] || 'eventlog';
  if (!SCHEMA_NAME.test(schema)) throw usageError(`--schema must match ${SCHEMA_NAME}`, 'the event log schema, as DATABASE_SCHEMA');
  return { url, schema };
}

/** Known failures of the layers below as {@link ReplayError}s; anything else is a bug and rethrown. */
function asReplayError(err: unknown): ReplayError {
  if (err instanceof ReplayError) return err;
  if (err instanceof EventLogError) {
    // Event-log messages name keys, positions and types only (never event data).
    return new ReplayError('LOG_UNREADABLE', `the event log cannot be read: ${err.message} (${err.code})`, { cause: err });
  }
  throw err;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code.
 * @example process.exitCode = await runCli(process.argv.slice(2), process.env);
 */
export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo = defaultIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const { values, name, command, args, helpAsked } = parse(argv);
    if (!command) {
      if (name === undefined) {
        (helpAsked ? io.stdout : io.stderr)(mainHelp(COMMANDS));
        return helpAsked ? EXIT.ok : EXIT.usage;
      }
      throw usageError(`unknown command ${JSON.stringify(name)}`, `commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    }
    if (helpAsked) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    checkCommand(command, values, args);
    const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir(env);
    const copy = values['copy'] === true;
    const database = databaseTarget(values, env);
    const ctx: CommandContext = {
      dataDir,
      json,
      copy,
      options: values,
      ...(database && { database }),
      openReader: (dir = dataDir) => (database ? openDatabaseReader(database) : openLogReader(dir, { copy })),
      writeStdout: stdoutWriter(io),
      openWriter: () => (database ? openDatabaseWriter(database) : openLogWriter(dataDir)),
    };
    const output: CommandOutput = await command.run(ctx, args);
    (output.onStderr ? io.stderr : io.stdout)(json ? JSON.stringify(output.json, null, 2) + '\n' : output.text);
    return output.exitCode;
  } catch (err) {
    const known = asReplayError(err);
    printError(known, json, io);
    return known.exitCode;
  }
}

const defaultIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdoutStream: process.stdout,
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2), process.env);
}
