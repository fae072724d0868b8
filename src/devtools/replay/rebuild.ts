/**
 * `replay rebuild`: rebuilds every projection table from the log and prints the counts and
 * the time taken. Writes projection tables and checkpoints only, never the log; needs the
 * bot stopped (the store's writer must be ours).
 *
 * @module
 */
import { linkProjections } from '../../link/projections.ts';
import type { Command } from './command.ts';
import { EXIT } from './errors.ts';
import { columns } from './format.ts';

/** `replay rebuild`. */
export const rebuildCommand: Command = {
  name: 'rebuild',
  args: [],
  summary: 'rebuild the projection tables from the log (bot stopped); counts and time',
  description:
    'Clears the link projection tables (link_state, user_oauth_tokens, oauth_states,\n' +
    'oauth_completions) and folds the whole log into them again, as the store does for a new\n' +
    'projection version. The log itself is never written. The bot must be stopped; an interrupted\n' +
    'rebuild resumes at the next open.',
  acceptsCopy: false,
  acceptsDatabase: true,
  async run(ctx) {
    const started = performance.now();
    const store = await ctx.openWriter();
    try {
      const report = await store.rebuild();
      const projections: Array<{ name: string; rows: number }> = [];
      for (const name of report.projections) {
        let rows = 0;
        for await (const _ of store.table(name).entries()) rows++;
        projections.push({ name, rows });
      }
      const ms = Math.round(report.ms);
      const totalMs = Math.round(performance.now() - started);
      const text =
        `rebuilt ${projections.length} projection(s) from ${report.events} event(s) in ${ms} ms (${totalMs} ms with open)\n` +
        columns(['projection', 'rows'], projections.map((p) => [p.name, String(p.rows)]));
      return { exitCode: EXIT.ok, json: { events: report.events, ms, totalMs, projections }, text };
    } finally {
      await store.close();
    }
  },
};
