/**
 * `replay verify`: compares the live projection tables with a fresh fold of the log and
 * exits 1, listing the differences, on drift. Writes nothing (see `verifyProjections.ts`).
 *
 * @module
 */
import { linkProjections } from '../../link/projections.ts';
import { withReader, type Command } from './command.ts';
import { EXIT } from './errors.ts';
import { verifyProjections } from './verifyProjections.ts';

/** Differences printed in text mode; `--json` lists them all. */
const SHOWN = 50;

/** `replay verify`. */
export const verifyCommand: Command = {
  name: 'verify',
  args: [],
  summary: 'compare the projection tables with a fresh fold of the log (exit 1 on drift)',
  description:
    'Folds the whole log through the link projections in memory and compares every row, byte for\n' +
    'byte, with the tables in the data dir, and each checkpoint with the log head. Prints the keys\n' +
    'that are missing, extra or different (never their values) and exits 1 when anything differs.\n' +
    'Writes nothing; `replay rebuild` repairs drift (with the bot stopped).',
  acceptsCopy: true,
  acceptsDatabase: true,
  run: (ctx) =>
    withReader(ctx, async (reader) => {
      const report = await verifyProjections(reader, [...linkProjections]);
      const { differences, checkpoints } = report;
      const drift = differences.length > 0 || checkpoints.length > 0;
      const ms = Math.round(report.ms);
      const lines = [
        `checked ${report.projections.length} projection(s) against ${report.events} event(s) in ${ms} ms: ` +
          (drift ? `DRIFT (${differences.length} row(s), ${checkpoints.length} checkpoint(s))` : 'no drift'),
        ...differences.slice(0, SHOWN).map((d) => `  ${d.kind.padEnd(9)} ${d.projection} ${d.key}`),
        ...(differences.length > SHOWN ? [`  … and ${differences.length - SHOWN} more (see --json)`] : []),
        ...checkpoints.map(
          (c) =>
            `  checkpoint ${c.projection}: ${c.found ? `version ${c.found.version} at ${c.found.position}` : 'missing'}, ` +
            `expected version ${c.expected.version} at ${c.expected.position}`,
        ),
        ...(drift ? ['stop the bot and run `replay rebuild` to rebuild the tables from the log'] : []),
      ];
      return {
        exitCode: drift ? EXIT.problem : EXIT.ok,
        json: { ok: !drift, head: report.head, events: report.events, projections: report.projections, differences, checkpoints, ms },
        text: lines.join('\n') + '\n',
      };
    }),
};
