/**
 * `replay import <file> [<data-dir>]` and `replay import <file> --database-url …`: an export
 * file into an empty event log on either backend, then the check (`importCheck.ts`).
 *
 * The file is read through and checked completely before the target is opened, so a bad file
 * never touches it; the write itself is atomic (`importPostgres.ts`: one transaction,
 * `importLevel.ts`: a directory renamed into place).
 *
 * @module
 */
import { redactUrl } from '../../../eventlog/postgres/index.ts';
import { createLinkRegistry } from '../../link/linkLog.ts';
import type { Command, CommandContext } from './command.ts';
import { EXIT, usageError } from './errors.ts';
import { checkExport } from './exportReader.ts';
import { checkImported, type ImportCheck, type ImportCounts } from './importCheck.ts';
import { importIntoDataDir } from './importLevel.ts';
import { importIntoDatabase } from './importPostgres.ts';

function report(target: string, counts: ImportCounts, check: ImportCheck): string {
  const { verify } = check;
  return [
    `imported ${counts.events} event(s) of ${counts.streams} stream(s), ${counts.dataKeys} data key(s) and ${counts.keyChecks} key check(s) into ${target}`,
    `rebuilt and verified ${verify.projections.length} projection(s): ` +
      (verify.differences.length + verify.checkpoints.length === 0 ? 'no drift' : `DRIFT (${verify.differences.length} row(s), ${verify.checkpoints.length} checkpoint(s)); run \`replay verify\``),
    check.sameAsFile ? 'exported again, the store gives the file\'s counts and sha256' : 'DIFFERENT: exported again, the store does not give the file\'s counts and sha256',
    ...(counts.masterKeys.length > 0
      ? [`the data keys are wrapped by master key ${counts.masterKeys.join(', ')}: start the bot with the same TOKEN_ENCRYPTION_KEY as the source`]
      : []),
  ].join('\n') + '\n';
}

/** `replay import`. */
export const importCommand: Command = {
  name: 'import',
  args: ['<file>'],
  optionalArgs: ['<data-dir>'],
  summary: 'read an export file into an empty log (a new data dir, or --database-url); then verify',
  description:
    'Checks the whole file first (header and version, each line against the store\'s schemas,\n' +
    'positions, counts, sha256), then writes every event in global order with its stream version\n' +
    'and record bytes, the wrapped data keys and key check values, rebuilds the projection tables\n' +
    'and runs the check of `replay verify`; exit 1 when it finds a difference. The target must be\n' +
    'empty: a data dir without db/ (bot stopped), or a PostgreSQL log without events or data keys.\n' +
    'PostgreSQL: one transaction; LevelDB: written beside db/ and renamed into place when complete.\n' +
    'Start the bot with the TOKEN_ENCRYPTION_KEY of the source: the keys stay wrapped by it.',
  acceptsCopy: false,
  acceptsDatabase: true,
  async run(ctx: CommandContext, [file, dataDirArg]) {
    if (dataDirArg !== undefined && ctx.database) throw usageError('import writes either into <data-dir> or into --database-url, not both');
    const registry = createLinkRegistry();
    await checkExport(file!, registry);
    const dataDir = dataDirArg ?? ctx.dataDir;
    const counts = ctx.database ? await importIntoDatabase(file!, ctx.database, registry) : await importIntoDataDir(file!, dataDir, registry);
    const target = ctx.database ? `${redactUrl(ctx.database.url)} (schema ${ctx.database.schema})` : dataDir;
    const reader = await ctx.openReader(dataDir);
    let check: ImportCheck;
    try {
      check = await checkImported(reader, registry, counts);
    } finally {
      await reader.close();
    }
    const { verify } = check;
    return {
      exitCode: check.ok ? EXIT.ok : EXIT.problem,
      json: { ok: check.ok, target, ...counts, sameAsFile: check.sameAsFile, verify: { differences: verify.differences, checkpoints: verify.checkpoints, projections: verify.projections } },
      text: report(target, counts, check),
    };
  },
};
