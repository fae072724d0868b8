/**
 * Regenerates the generated blocks of the machine's docs from its definition: the Mermaid
 * diagram and the event × state table in `docs/machines/spotifyLink.md`, and the same diagram
 * in `docs/architecture.md`.
 *
 * Usage: `npx tsx scripts/gen-machine-docs.ts` (rewrite) or `... --check` (exit 1 when stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { linkDocBlocks, replaceGeneratedBlocks } from '../machines/spotifyLink.diagram.ts';
import { LINK_EVENT_TYPES } from '../machines/spotifyLink.events.ts';
import { linkMachine } from '../machines/spotifyLink.machine.ts';

const blocks = linkDocBlocks(linkMachine, LINK_EVENT_TYPES);
const targets: Array<{ path: string; blocks: Record<string, string> }> = [
  { path: 'docs/machines/spotifyLink.md', blocks },
  { path: 'docs/architecture.md', blocks: { diagram: blocks.diagram } },
];

const check = process.argv.includes('--check');
for (const target of targets) {
  const file = new URL(`../${target.path}`, import.meta.url);
  const current = readFileSync(file, 'utf8');
  const next = replaceGeneratedBlocks(current, target.blocks);
  if (next === current) {
    console.log(`${target.path} is up to date`);
  } else if (check) {
    console.error(`${target.path} is stale: run npx tsx scripts/gen-machine-docs.ts`);
    process.exitCode = 1;
  } else {
    writeFileSync(file, next);
    console.log(`${target.path} regenerated`);
  }
}
