/**
 * `replay backup <file>` and `replay restore <file>`: a consistent copy of the data dir and
 * its way back (the work is `src/backup/backup.ts`; this file only turns it into commands).
 * A running bot holds the LevelDB lock, so its backup is taken through the bot's control
 * socket; a stopped bot's data dir is read directly.
 *
 * @module
 */
import { backupDataDir, restoreBackup, type BackupReport } from '../../backup/backup.ts';
import { OpsError } from '../../backup/errors.ts';
import type { Command, CommandOutput } from './command.ts';
import { EXIT } from './errors.ts';

function report(verb: string, file: string, r: BackupReport, via?: string): CommandOutput {
  const json = { file, entries: r.entries, headPosition: r.headPosition, createdAt: r.createdAt, ...(via ? { via } : {}) };
  const text = `${verb} ${file}: ${r.entries} entries, log head at position ${r.headPosition}, taken ${r.createdAt}${via ? ` (via ${via})` : ''}\n`;
  return { exitCode: EXIT.ok, json, text };
}

/** Turns an operator-fixable failure into exit 1 with its one-line message. */
async function orProblem(fn: () => Promise<CommandOutput>): Promise<CommandOutput> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof OpsError)) throw err;
    return { exitCode: EXIT.problem, json: { error: err.code, message: err.message }, text: `${err.message}\n` };
  }
}

/** `replay backup <file>`. */
export const backupCommand: Command = {
  name: 'backup',
  args: ['<file>'],
  summary: 'write a consistent backup of the data dir to <file> (works while the bot runs)',
  description:
    'Writes every key of the data dir (log, projections, vault, file_id cache) to <file>, which\n' +
    'appears only once complete and checked (mode 0600; an existing file is never overwritten).\n' +
    "While the bot runs, the copy is taken by the bot itself through DATA_DIR/control.sock.\n" +
    'Data keys stay wrapped by the master key: keep TOKEN_ENCRYPTION_KEY apart from backups.',
  acceptsCopy: false,
  run: (ctx, [file]) => orProblem(async () => {
    const r = await backupDataDir(ctx.dataDir, file!);
    return report('backed up to', file!, r, r.via);
  }),
};

/** `replay restore <file>`. */
export const restoreCommand: Command = {
  name: 'restore',
  args: ['<file>'],
  summary: 'restore a backup into an empty data dir (bot stopped); run verify afterwards',
  description:
    'Checks the whole backup (count and checksum) before anything becomes visible, then puts it\n' +
    'in place as DATA_DIR/db. The data dir must hold no bot data. Start the bot with the same\n' +
    'TOKEN_ENCRYPTION_KEY as the backed-up one; then `replay verify` should report no drift.',
  acceptsCopy: false,
  run: (ctx, [file]) => orProblem(async () => report('restored from', file!, await restoreBackup(file!, ctx.dataDir))),
};
