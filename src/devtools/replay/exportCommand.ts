/**
 * `replay export [<data-dir>] [--out <file>|-]` and `replay export --database-url …`: the whole
 * event log and the vault's wrapped data keys as an export file (`exportFormat.ts`), read from
 * one consistent state of the store (`logSnapshot.ts`).
 *
 * A file appears only once complete (written as `.<name>.partial-…` with mode 0600, synced,
 * then linked to its name – an existing file is never overwritten); `-` writes to stdout and
 * prints the summary on stderr.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { link, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { fsyncDir } from '../../backup/backup.ts';
import { createLinkRegistry } from '../../link/linkLog.ts';
import type { Command, CommandContext } from './command.ts';
import { asOneLine, EXIT, ReplayError, usageError } from './errors.ts';
import { writeExport, type ExportCounts, type LineSink } from './exportWriter.ts';

const fileExists = (file: string) => new ReplayError('FILE_EXISTS', `${file} already exists; nothing was written`, { hint: 'choose a new file name' });

/** Runs `write` into `file` through a private temporary name; `file` appears only when it succeeded. */
async function toFile(file: string, write: (sink: LineSink) => Promise<ExportCounts>): Promise<ExportCounts> {
  const partial = join(dirname(file), `.${basename(file)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    await once(out, 'open');
    const counts = await write(async (line) => {
      if (!out.write(line + '\n')) await once(out, 'drain');
    });
    out.end();
    await once(out, 'finish');
    const handle = await open(partial, 'r+');
    await handle.sync().finally(() => handle.close());
    // link() fails when `file` appeared meanwhile: never overwrite.
    await link(partial, file).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EEXIST' ? fileExists(file) : err;
    });
    await fsyncDir(dirname(file));
    return counts;
  } finally {
    await unlink(partial).catch(() => undefined);
  }
}

function summary(counts: ExportCounts, source: string, out: string) {
  return `exported ${counts.events} event(s) of ${counts.streams} stream(s), ${counts.dataKeys} data key(s) and ${counts.keyChecks} key check(s) from ${source} to ${out === '-' ? 'stdout' : out}\nsha256 ${counts.sha256}\n`;
}

/** `replay export`. */
export const exportCommand: Command = {
  name: 'export',
  args: [],
  optionalArgs: ['<data-dir>'],
  summary: 'write the whole log and the wrapped data keys to an export file (NDJSON, versioned)',
  description:
    'Writes every event (stored version, positions and metadata, in global order), every wrapped\n' +
    'data key and key check value of the data dir (or of --database-url) as NDJSON with a header\n' +
    'and a checksummed end line; `replay import` reads it into the other backend. Projection\n' +
    'tables are not exported (the import rebuilds them). No token or key is in the clear: data\n' +
    'keys stay wrapped by TOKEN_ENCRYPTION_KEY, which the target bot must use too; a shredded key\n' +
    'is not in the store, so its events stay unreadable. With the bot running, add --copy.',
  options: { out: { type: 'string', valueName: '<file|->', description: 'where to write (default: - for stdout); an existing file is never overwritten' } },
  acceptsCopy: true,
  acceptsDatabase: true,
  async run(ctx: CommandContext, [dataDir]) {
    if (dataDir !== undefined && ctx.database) throw usageError('export reads either <data-dir> or --database-url, not both');
    const out = typeof ctx.options['out'] === 'string' ? ctx.options['out'] : '-';
    if (out === '') throw usageError('--out needs a file name, or - for stdout');
    const registry = createLinkRegistry();
    if (out !== '-' && existsSync(out)) throw fileExists(out);
    const reader = await ctx.openReader(dataDir);
    const source = reader.dataDir;
    let counts: ExportCounts;
    try {
      counts = await reader.withSnapshot((snapshot) =>
        out === '-' ? writeExport(snapshot, registry, (line) => ctx.writeStdout(line + '\n')) : toFile(out, (sink) => writeExport(snapshot, registry, sink)),
      );
    } catch (err) {
      throw asOneLine(err, 'EXPORT_FAILED', `the export to ${out === '-' ? 'stdout' : out} failed; no file was written`);
    } finally {
      await reader.close();
    }
    return { exitCode: EXIT.ok, json: { file: out, source, ...counts }, text: summary(counts, source, out), onStderr: out === '-' };
  },
};
