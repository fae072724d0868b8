/**
 * The shape of one replay subcommand. A subcommand is one file exporting a {@link Command};
 * `cli.ts` lists them, parses the shared options (`--data-dir`, `--json`, `--copy`, `--help`)
 * plus the command's own, and prints whichever output was asked for. Adding a command (e.g.
 * `backup`) is a new file and one line in that list.
 *
 * @module
 */
import type { EventLog } from '../../../eventlog/index.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import type { LogReader } from './dataDir.ts';

/** A command-specific option (parsed with `node:util` `parseArgs`). */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** For string options, the placeholder in help, e.g. `<file>`. */
  readonly valueName?: string;
}

/** What a command hands back; the CLI prints `json` with `--json`, else `text`. */
export interface CommandOutput {
  /** 0 ok, 1 a problem (drift, not found); see `EXIT`. */
  readonly exitCode: number;
  /** The machine-readable result (printed as one JSON document). */
  readonly json: unknown;
  /** The human-readable result (printed as is; end lines with `\n`). */
  readonly text: string;
  /** Print the result on stderr: stdout carries the command's data (`export --out -`). */
  readonly onStderr?: boolean;
}

/** What a running command gets from the CLI. */
export interface CommandContext {
  /** The data directory (`--data-dir`, else `DATA_DIR`, else `./data`). */
  readonly dataDir: string;
  readonly json: boolean;
  /** `--copy`: read a consistent temp copy instead of the directory itself. */
  readonly copy: boolean;
  /** The command's own options, by name. */
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  /** Opens the data dir (`dataDir`, or another one) read-only, or its copy with `--copy`; close it when done. */
  openReader(dataDir?: string): Promise<LogReader>;
  /** Writes data to stdout, resolving when more may be written (a pipe's backpressure). */
  writeStdout(text: string): Promise<void>;
  /** Opens the log as the bot does (projections caught up): for commands that write projections. */
  openWriter(): Promise<EventLog<LinkEvent, unknown>>;
  /** `--database-url`: the log is in PostgreSQL, not in `dataDir`. */
  readonly database?: { readonly url: string; readonly schema: string };
}

/** One subcommand of the replay CLI. */
export interface Command {
  /** The word after `replay`, e.g. `history`. */
  readonly name: string;
  /** Positional arguments, all required, as shown in help, e.g. `['<userId>']`. */
  readonly args: readonly string[];
  /** Optional positional arguments after {@link Command.args}, e.g. `['<data-dir>']`. */
  readonly optionalArgs?: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** What `replay <name> --help` adds below the usage line. */
  readonly description: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /** Whether `--copy` makes sense (false for commands that must change the real data dir). */
  readonly acceptsCopy: boolean;
  /** Whether it works on a PostgreSQL log too (`--database-url`); false for LevelDB file work. */
  readonly acceptsDatabase?: boolean;
  run(ctx: CommandContext, args: readonly string[]): Promise<CommandOutput>;
}

/** Runs `fn` with the data dir opened read-only, closing it (and removing a copy) afterwards. */
export async function withReader<T>(ctx: CommandContext, fn: (reader: LogReader) => Promise<T>): Promise<T> {
  const reader = await ctx.openReader();
  try {
    return await fn(reader);
  } finally {
    await reader.close();
  }
}
