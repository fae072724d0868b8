/**
 * The generated docs: the Mermaid diagram and the event × state table come from the machine
 * definition, and docs/machines/spotifyLink.md is never stale.
 */
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMachine } from 'xstate';
import {
  leafStates, linkDocBlocks, machineEdges, mermaidStateIds, replaceGeneratedBlocks, toMermaid, toTransitionTable,
} from '../../machines/spotifyLink.diagram.ts';
import { LINK_EVENT_TYPES } from '../../machines/spotifyLink.events.ts';
import { linkMachine } from '../../machines/spotifyLink.machine.ts';

const DOC = new URL('../../docs/machines/spotifyLink.md', import.meta.url);

function block(markdown: string, name: string): string {
  const start = `<!-- ${name}:start -->\n`;
  const i = markdown.indexOf(start);
  const j = markdown.indexOf(`\n<!-- ${name}:end -->`);
  assert.ok(i >= 0 && j > i, `block ${name} missing`);
  return markdown.slice(i + start.length, j);
}

const Diagram = suite('machine diagram');

Diagram('a small machine renders to the exact Mermaid text', () => {
  const toy = createMachine({
    id: 'toy',
    initial: 'idle',
    states: {
      idle: { on: { GO: 'busy.one' } },
      busy: { initial: 'one', states: { one: { on: { NEXT: 'two' } }, two: {} }, on: { STOP: '#toy.idle' } },
    },
  });
  assert.fixture(toMermaid(toy), [
    'stateDiagram-v2',
    '  [*] --> idle',
    '  idle',
    '  state busy {',
    '    [*] --> one',
    '    one',
    '    two',
    '  }',
    '  idle --> one : GO',
    '  busy --> idle : STOP',
    '  one --> two : NEXT',
  ].join('\n'));
});

Diagram('the link diagram draws every state and every transition with its event', () => {
  const text = toMermaid(linkMachine);
  assert.ok(text.startsWith('stateDiagram-v2\n'));
  const ids = mermaidStateIds(linkMachine);
  assert.is(ids.get('awaitingCallback.pending'), 'pending');
  for (const leaf of leafStates(linkMachine)) assert.ok(text.includes(`  ${ids.get(leaf)}\n`), leaf);
  assert.ok(text.includes('state awaitingCallback {'));
  for (const type of LINK_EVENT_TYPES) assert.ok(text.includes(` : ${type}`), type);
  const arrows = text.split('\n').filter((l) => l.includes(' --> ') && !l.includes('[*]'));
  assert.is(arrows.length, machineEdges(linkMachine).length);
});

Diagram('guards are drawn with their names', () => {
  assert.ok(toMermaid(linkMachine).includes('confirming --> linked : LinkConfirmed [isCurrentAttempt and beforeCompletionExpiry]'));
});

Diagram.run();

const Table = suite('event × state table');

Table('every event has a row and every state a column; unhandled pairs say rejected', () => {
  const table = toTransitionTable(linkMachine, LINK_EVENT_TYPES);
  const lines = table.split('\n');
  assert.is(lines.length, 2 + LINK_EVENT_TYPES.length);
  assert.is(lines[0]!.split('|').length - 3, leafStates(linkMachine).length);
  const unlinkRow = lines.find((l) => l.startsWith('| `Unlinked` |'))!;
  assert.ok(unlinkRow.includes('rejected'));
  const confirmRow = lines.find((l) => l.startsWith('| `LinkConfirmed` |'))!;
  assert.ok(confirmRow.includes('→ `linked` (confirmGrant); else rejected'));
});

Table('a sub-state inherits its parent’s transitions', () => {
  const row = toTransitionTable(linkMachine, ['Unlinked']).split('\n')[2]!;
  const cells = row.split(' | '); // [event, unlinked, pending, confirming, ...]
  assert.ok(cells[2]!.includes('→ `unlinked` (forgetAll)'), 'pending');
  assert.ok(cells[3]!.includes('→ `unlinked` (forgetAll)'), 'confirming');
});

Table.run();

const Doc = suite('docs/machines/spotifyLink.md');

Doc('the committed diagram matches the machine (run scripts/gen-machine-docs.ts if not)', () => {
  const doc = readFileSync(DOC, 'utf8');
  assert.fixture(block(doc, 'diagram'), linkDocBlocks(linkMachine).diagram);
});

Doc('docs/architecture.md carries the same generated diagram', () => {
  const doc = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
  assert.fixture(block(doc, 'diagram'), linkDocBlocks(linkMachine).diagram);
});

Doc('the committed event × state table matches the machine', () => {
  const doc = readFileSync(DOC, 'utf8');
  assert.fixture(block(doc, 'table'), linkDocBlocks(linkMachine, LINK_EVENT_TYPES).table);
});

Doc('the page names every guard and action of the machine', () => {
  const doc = readFileSync(DOC, 'utf8');
  const impl = linkMachine.implementations;
  for (const name of [...Object.keys(impl.guards), ...Object.keys(impl.actions)]) {
    assert.ok(doc.includes(`| \`${name}\` |`), `${name} undocumented`);
  }
});

Doc('regenerating rewrites only the marked blocks', () => {
  const md = 'intro\n<!-- diagram:start -->\nold\n<!-- diagram:end -->\noutro\n';
  assert.is(replaceGeneratedBlocks(md, { diagram: 'new' }), 'intro\n<!-- diagram:start -->\nnew\n<!-- diagram:end -->\noutro\n');
  assert.throws(() => replaceGeneratedBlocks('no markers', { diagram: 'x' }), /diagram/);
});

Doc.run();
