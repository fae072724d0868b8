/**
 * Regenerates the generated blocks of `docs/machines/spotifyLink.md` (the Mermaid diagram and
 * the event × state table) from the machine definition.
 *
 * Usage: `npx tsx scripts/gen-machine-docs.ts` (rewrite) or `... --check` (exit 1 when stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { linkDocBlocks, replaceGeneratedBlocks } from '../machines/spotifyLink.diagram.ts';
import { LINK_EVENT_TYPES } from '../machines/spotifyLink.events.ts';
import { linkMachine } from '../machines/spotifyLink.machine.ts';

const file = new URL('../docs/machines/spotifyLink.md', import.meta.url);
const current = readFileSync(file, 'utf8');
const next = replaceGeneratedBlocks(current, linkDocBlocks(linkMachine, LINK_EVENT_TYPES));

if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('docs/machines/spotifyLink.md is stale: run npx tsx scripts/gen-machine-docs.ts');
    process.exitCode = 1;
  } else {
    console.log('docs/machines/spotifyLink.md is up to date');
  }
} else if (next !== current) {
  writeFileSync(file, next);
  console.log('docs/machines/spotifyLink.md regenerated');
} else {
  console.log('docs/machines/spotifyLink.md already up to date');
}
