/**
 * Draws a state machine from its **definition** – states, nested states, initial states and
 * every transition with its event type and guard – as a Mermaid `stateDiagram-v2`, and
 * tabulates what every event does in every state. Nothing here is hand-written about the
 * link machine, so the docs and the dev visualizer cannot drift from the code.
 *
 * Pure string building (no I/O): `scripts/gen-machine-docs.ts` writes the result into
 * `docs/machines/spotifyLink.md` and a test fails when that file is stale.
 *
 * @module
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** One transition of a machine definition, in dotted state paths relative to the root. */
export interface MachineEdge {
  /** The state that declares the transition, e.g. `awaitingCallback.pending`. */
  source: string;
  event: string;
  /** The target state; equals `source` for a targetless (internal) transition. */
  target: string;
  /** The atomic state the transition ends in (a compound target resolved through its initial states). */
  enters: string;
  /** True for a targetless transition: the state stays, only the context changes. */
  internal: boolean;
  /** The guard as text (`a and b`), or `null` when unguarded. */
  guard: string | null;
  /** Named actions, without the bookkeeping `touch`. */
  actions: string[];
}

function pathOf(node: AnyStateNode): string {
  return node.path.join('.');
}

function childrenOf(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states as Record<string, AnyStateNode>);
}

function initialLeaf(node: AnyStateNode): AnyStateNode {
  const first = node.initial?.target?.[0] as AnyStateNode | undefined;
  return first ? initialLeaf(first) : node;
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return childrenOf(node).flatMap((child) => [child, ...allNodes(child)]);
}

/** Renders a guard definition: a named guard, or `and`/`or`/`not` of named guards. */
function guardText(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard) return String(guard.type);
  if (typeof guard === 'function') {
    const parts = (guard as { guards?: unknown[] }).guards;
    if (!parts) return guard.name || 'guard';
    const inner = parts.map((g) => guardText(g) ?? '?');
    if (guard.name === 'not') return `not ${inner[0]}`;
    return inner.join(guard.name === 'or' ? ' or ' : ' and ');
  }
  return 'guard';
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'object' && action !== null && 'type' in action) return String(action.type);
  return (action as { name?: string }).name || 'action';
}

/** Every transition of `machine`, in definition order (parents before children). */
export function machineEdges(machine: AnyStateMachine): MachineEdge[] {
  const edges: MachineEdge[] = [];
  for (const node of allNodes(machine.root)) {
    for (const [event, transitions] of node.transitions) {
      for (const t of transitions) {
        const targets = t.target?.length ? t.target : [node];
        for (const target of targets) {
          edges.push({
            source: pathOf(node),
            event,
            target: pathOf(target),
            enters: pathOf(initialLeaf(target)),
            internal: !t.target?.length,
            guard: guardText(t.guard),
            actions: t.actions.map(actionName).filter((a: string) => a !== 'touch'),
          });
        }
      }
    }
  }
  return edges;
}

/**
 * The Mermaid id of every state, keyed by dotted path (`awaitingCallback.pending` → `pending`):
 * a state's own key when unique in the machine, else its path joined by `_`. The visualizer
 * uses it to highlight the node of a user's current state.
 */
export function mermaidStateIds(machine: AnyStateMachine): Map<string, string> {
  const nodes = allNodes(machine.root);
  const count = new Map<string, number>();
  for (const n of nodes) count.set(n.key, (count.get(n.key) ?? 0) + 1);
  return new Map(nodes.map((n) => [pathOf(n), count.get(n.key) === 1 ? n.key : n.path.join('_')]));
}

/**
 * A Mermaid `stateDiagram-v2` of `machine`: compound states become composite blocks with
 * their initial state; each transition is one arrow labelled `Event [guard]`.
 * @example docs.replace(block, toMermaid(linkMachine))
 */
export function toMermaid(machine: AnyStateMachine): string {
  const ids = mermaidStateIds(machine);
  const id = (path: string) => ids.get(path) ?? path;
  const lines = ['stateDiagram-v2'];
  const declare = (node: AnyStateNode, indent: string): void => {
    const children = childrenOf(node);
    const initial = node.initial?.target?.[0] as AnyStateNode | undefined;
    if (node !== machine.root && children.length === 0) {
      lines.push(`${indent}${id(pathOf(node))}`);
      return;
    }
    const inner = node === machine.root ? indent : `${indent}  `;
    if (node !== machine.root) lines.push(`${indent}state ${id(pathOf(node))} {`);
    if (initial) lines.push(`${inner}[*] --> ${id(pathOf(initial))}`);
    for (const child of children) declare(child, inner);
    if (node !== machine.root) lines.push(`${indent}}`);
  };
  declare(machine.root, '  ');
  for (const e of machineEdges(machine)) {
    const label = e.guard ? `${e.event} [${e.guard}]` : e.event;
    lines.push(`  ${id(e.source)} --> ${id(e.target)} : ${label}`);
  }
  return lines.join('\n');
}

/** The states a snapshot can be in (atomic states), as dotted paths. */
export function leafStates(machine: AnyStateMachine): string[] {
  return allNodes(machine.root)
    .filter((n) => childrenOf(n).length === 0)
    .map(pathOf);
}

/** Every event type some transition of `machine` handles, in first-seen order. */
export function eventTypes(machine: AnyStateMachine): string[] {
  return [...new Set(machineEdges(machine).map((e) => e.event))];
}

function describeCell(edges: MachineEdge[]): string {
  if (edges.length === 0) return 'rejected';
  const parts = edges.map((e) => {
    const move = e.internal ? 'stays' : `→ \`${e.enters}\``;
    const does = e.actions.length ? ` (${e.actions.join(', ')})` : '';
    return e.guard ? `if ${e.guard}: ${move}${does}` : `${move}${does}`;
  });
  const last = edges[edges.length - 1]!;
  return parts.join('; else ') + (last.guard ? '; else rejected' : '');
}

/**
 * A Markdown table: one row per event type, one column per atomic state, each cell saying
 * what the event does there (target, guard and actions) or `rejected`. A state inherits its
 * ancestors' transitions; the deepest state's transitions win, as in XState.
 */
export function toTransitionTable(machine: AnyStateMachine, events: readonly string[] = eventTypes(machine)): string {
  const edges = machineEdges(machine);
  const leaves = leafStates(machine);
  const header = `| event | ${leaves.map((l) => `\`${l}\``).join(' | ')} |`;
  const rule = `| --- |${leaves.map(() => ' --- |').join('')}`;
  const rows = events.map((event) => {
    const cells = leaves.map((leaf) => {
      // The deepest state that handles the event decides, exactly as XState selects transitions.
      const owners = leaf.split('.').map((_, i, parts) => parts.slice(0, parts.length - i).join('.'));
      const owner = owners.find((o) => edges.some((e) => e.source === o && e.event === event));
      return describeCell(owner ? edges.filter((e) => e.source === owner && e.event === event) : []);
    });
    return `| \`${event}\` | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

/**
 * Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in `markdown` with
 * `content`, for every entry of `blocks`.
 * @throws an `Error` naming the block when its markers are missing.
 */
export function replaceGeneratedBlocks(markdown: string, blocks: Record<string, string>): string {
  let out = markdown;
  for (const [name, content] of Object.entries(blocks)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`markers for block "${name}" not found`);
    out = `${out.slice(0, i + start.length)}\n${content}\n${out.slice(j)}`;
  }
  return out;
}

/** The generated blocks of `docs/machines/spotifyLink.md`: the diagram (fenced) and the table. */
export function linkDocBlocks(machine: AnyStateMachine, events?: readonly string[]): { diagram: string; table: string } {
  return {
    diagram: ['```mermaid', toMermaid(machine), '```'].join('\n'),
    table: toTransitionTable(machine, events),
  };
}
