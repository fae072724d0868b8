// The visualizer page: draws the machine with Mermaid (served from node_modules), then keeps
// the counts, the users and the chosen user's path current from the server-sent events.
// Plain browser JavaScript, no build step. Data is only ever set as text, never as HTML.
/* global mermaid */
'use strict';

const view = {
  machine: null,
  overview: null,
  selected: null, // user id
  user: null, // the chosen user's detail (with path)
  renderId: '',
  renders: 0,
};

const $ = (selector) => document.querySelector(selector);

async function getJson(url) {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = String(text);
  if (className) el.className = className;
  return el;
}

// --- the diagram -------------------------------------------------------------------------

async function drawDiagram() {
  const source = $('#guards').checked ? view.machine.mermaid : view.machine.mermaidCompact;
  view.renderId = `viz-${++view.renders}`;
  const { svg } = await mermaid.render(view.renderId, source);
  $('#diagram').innerHTML = svg; // Mermaid's own output (securityLevel: strict), not our data
  decorate();
}

/** The `<g>` Mermaid drew for a state path, e.g. `awaitingCallback.pending`. */
function nodeOf(path) {
  const id = view.machine.stateIds[path];
  const pattern = new RegExp(`^${view.renderId}-state-${id}-\\d+$`);
  return [...document.querySelectorAll('#diagram g.node')].find((g) => pattern.test(g.id));
}

function badge(node, count) {
  const rect = node.querySelector('rect');
  if (!rect) return;
  const box = rect.getBBox();
  const ns = 'http://www.w3.org/2000/svg';
  const g = document.createElementNS(ns, 'g');
  g.setAttribute('class', 'viz-badge');
  const circle = document.createElementNS(ns, 'circle');
  circle.setAttribute('cx', String(box.x + box.width));
  circle.setAttribute('cy', String(box.y));
  circle.setAttribute('r', '10');
  const text = document.createElementNS(ns, 'text');
  text.setAttribute('x', String(box.x + box.width));
  text.setAttribute('y', String(box.y));
  text.setAttribute('text-anchor', 'middle');
  text.setAttribute('dominant-baseline', 'central');
  text.textContent = String(count);
  g.append(circle, text);
  node.append(g);
}

/** Marks occupied states (with a count badge), the chosen user's path and current state. */
function decorate() {
  if (!view.machine || !view.overview) return;
  const visited = new Set((view.user?.path ?? []).flatMap((s) => [s.from, s.to]));
  for (const path of view.machine.states) {
    const node = nodeOf(path);
    if (!node) continue;
    node.dataset.vizState = path;
    node.querySelectorAll('.viz-badge').forEach((b) => b.remove());
    const count = view.overview.counts[path] ?? 0;
    node.dataset.count = String(count);
    node.classList.toggle('viz-occupied', count > 0);
    node.classList.toggle('viz-visited', visited.has(path));
    node.classList.toggle('viz-current', view.user?.state === path);
    if (count > 0) badge(node, count);
  }
  document.body.dataset.currentState = view.user?.state ?? '';
}

// --- the side panel ----------------------------------------------------------------------

function drawCounts() {
  const body = $('#counts tbody');
  body.replaceChildren(
    ...view.machine.states.map((path) => {
      const tr = element('tr');
      tr.append(element('td', path), element('td', view.overview.counts[path] ?? 0, 'n'));
      return tr;
    }),
  );
  $('#head').textContent = `log head ${view.overview.head}`;
}

/** `2026-11-24T12:00:00.000Z` → `2026-11-24 12:00:00Z`: the same instant, narrower. */
const shortTime = (iso) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function drawUsers() {
  const body = $('#users tbody');
  body.replaceChildren(
    ...view.overview.users.map((u) => {
      const tr = element('tr');
      tr.dataset.userId = String(u.userId);
      if (u.userId === view.selected) tr.className = 'selected';
      tr.append(element('td', u.userId, 'n'), element('td', u.state), element('td', u.events, 'n'), element('td', shortTime(u.lastTime)));
      tr.addEventListener('click', () => choose(u.userId));
      return tr;
    }),
  );
}

function drawPath() {
  const user = view.user;
  $('#path-title').textContent = user ? `Path of user ${user.userId} – now ${user.state}` : 'Path of states';
  $('#path-hint').hidden = Boolean(user);
  const list = $('#path');
  if (!user) return list.replaceChildren();
  list.start = (user.path[0]?.position ?? 0) + 1;
  list.replaceChildren(
    ...user.path.map((s) => {
      const li = element('li');
      li.append(element('code', shortTime(s.time)), ` ${s.type}: ${s.from} → ${s.to}`);
      if (s.problem) li.append(element('div', s.problem, 'problem'));
      return li;
    }),
  );
}

function drawAll() {
  drawCounts();
  drawUsers();
  drawPath();
  decorate();
}

async function choose(userId) {
  view.selected = userId;
  history.replaceState(null, '', `#user=${userId}`);
  try {
    view.user = await getJson(`/api/user?id=${userId}`);
  } catch {
    view.user = null;
  }
  drawAll();
}

// --- live updates ------------------------------------------------------------------------

function connect() {
  const status = $('#status');
  const events = new EventSource('/events');
  const setStatus = (s, text) => {
    status.dataset.status = s;
    status.textContent = text;
  };
  events.addEventListener('open', () => setStatus('live', 'live'));
  events.addEventListener('error', () => setStatus('reconnecting', 'reconnecting…'));
  events.addEventListener('overview', (e) => {
    view.overview = JSON.parse(e.data);
    if (view.selected !== null) void choose(view.selected);
    drawAll();
  });
  events.addEventListener('change', (e) => {
    const change = JSON.parse(e.data);
    view.overview = { head: change.head, counts: change.counts, users: change.users };
    const mine = change.changed.find((u) => u.userId === view.selected);
    if (mine) view.user = mine;
    drawAll();
    document.body.dataset.head = String(change.head);
  });
}

async function main() {
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
  view.machine = await getJson('/api/machine');
  $('#source').textContent = view.machine.label;
  view.overview = await getJson('/api/overview');
  const wanted = /^#user=(\d+)$/.exec(location.hash);
  await drawDiagram();
  if (wanted) await choose(Number(wanted[1]));
  else drawAll();
  $('#guards').addEventListener('change', () => void drawDiagram());
  connect();
  document.body.dataset.ready = '1';
}

main().catch((err) => {
  $('#diagram').replaceChildren(element('p', `could not draw the machine: ${err.message}`, 'problem'));
  document.body.dataset.ready = 'error';
});
