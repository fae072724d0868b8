/**
 * Help texts of the replay CLI: the command list and one page per command, built from the
 * {@link Command} definitions so they cannot drift from what the parser accepts.
 *
 * @module
 */
import type { Command, OptionSpec } from './command.ts';

/** The options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec & { short?: string }>> = {
  'data-dir': { type: 'string', valueName: '<dir>', description: "the bot's DATA_DIR (default: $DATA_DIR, DATA_DIR in ./.env, else ./data)" },
  json: { type: 'boolean', description: 'machine-readable output: one JSON document on stdout (errors too)' },
  copy: { type: 'boolean', description: 'work on a consistent temp copy of the data dir (while the bot holds it)' },
  'database-url': { type: 'string', valueName: '<url|env>', description: 'the PostgreSQL log instead of a data dir (`env`: $DATABASE_URL, keeping the password out of the process list)' },
  schema: { type: 'string', valueName: '<name>', description: "the event log's schema with --database-url (default: $DATABASE_SCHEMA, else eventlog)" },
  help: { type: 'boolean', short: 'h', description: 'this help; `replay <command> --help` for one command' },
};

const EXIT_CODES = 'exit codes: 0 ok · 1 drift, not found, or the data dir cannot be used · 2 usage';

function optionLines(options: Readonly<Record<string, OptionSpec & { short?: string }>>): string[] {
  const entries = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.valueName ? ` ${o.valueName}` : ''}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...entries.map(([f]) => f.length));
  return entries.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`);
}

/** `replay <name> <args>`. */
export function usageLine(command: Command): string {
  return ['replay', synopsis(command)].join(' ');
}

/** `<name> <args> [<optional args>]`. */
function synopsis(command: Command): string {
  return [command.name, ...command.args, ...(command.optionalArgs ?? []).map((a) => `[${a}]`)].join(' ');
}

/** The top-level help: what the tool is, every command, the shared options. */
export function mainHelp(commands: readonly Command[]): string {
  const synopses = commands.map(synopsis);
  const width = Math.max(...synopses.map((s) => s.length));
  return [
    "replay – read and check the bot's event log. It never starts the bot, the HTTP server or any",
    'effect, and never writes an existing log (`rebuild` writes the projection tables only; `import`',
    'fills an empty log from an `export` file, LevelDB ↔ PostgreSQL).',
    '',
    'usage: npm run replay -- <command> [arguments] [options]',
    '       npx tsx src/devtools/replay/cli.ts <command> [arguments] [options]',
    '',
    'commands:',
    ...commands.map((c, i) => `  ${synopses[i]!.padEnd(width)}  ${c.summary}`),
    '',
    'options (every command):',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    EXIT_CODES,
    '',
  ].join('\n');
}

/** The help page of one command. */
export function commandHelp(command: Command): string {
  const own = command.options && Object.keys(command.options).length ? ['', 'options:', ...optionLines(command.options)] : [];
  const shared = Object.fromEntries(Object.entries(GLOBAL_OPTIONS).filter(([name]) => command.acceptsCopy || name !== 'copy'));
  return [
    `usage: ${usageLine(command)} [options]`,
    '',
    command.summary,
    '',
    command.description,
    ...own,
    '',
    'shared options:',
    ...optionLines(shared),
    ...(command.acceptsCopy ? [] : ['  (--copy is refused: this command must change the real data dir)']),
    '',
    EXIT_CODES,
    '',
  ].join('\n');
}
