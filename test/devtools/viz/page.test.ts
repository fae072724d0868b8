/**
 * The visualizer page in headless Chromium (Debian's `/usr/bin/chromium` through
 * playwright-core; no browser download): Mermaid renders the generated diagram with every
 * state of the machine, counts and users are shown, an appended event moves the chosen
 * user's highlighted state through server-sent events, and a screenshot is written to
 * `test/artifacts/viz.png`.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { linkMachine } from '../../../machines/spotifyLink.machine.ts';
import { startVisualizer, type RunningVisualizer } from '../../../src/devtools/viz/startVisualizer.ts';
import { generateLinkLog, LOG_FINAL_STATES, LOG_USERS, type GeneratedLog } from '../../helpers/replayLog.ts';

// The callbacks below run in the page (serialised by playwright); the project has no DOM lib.
declare const document: any;

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = new URL('../../artifacts/', import.meta.url);

const Page = suite('visualizer page');
let log: GeneratedLog;
let viz: RunningVisualizer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

Page.before(async () => {
  log = await generateLinkLog({ keepOpen: true });
  viz = await startVisualizer({ store: log.harness!.store, port: 0 });
  // launch() gives every run a fresh temporary profile (user data dir) of its own.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  // Anything not served by the visualizer itself would be a CDN or the internet.
  page.on('request', (r) => void (r.url().startsWith(viz.url) || problems.push(`outside request: ${r.url()}`)));
  await page.goto(`${viz.url}#user=${LOG_USERS.failing}`);
  await page.waitForFunction(() => document.body.dataset['ready']);
});
Page.after(async () => {
  await browser?.close();
  await viz?.close();
  await log?.dispose();
});

/** Every state node of the machine definition, composite ones included (`awaitingCallback`). */
function machineStateKeys(): string[] {
  const keys: string[] = [];
  const walk = (node: { states: Record<string, unknown> }) => {
    for (const [key, child] of Object.entries(node.states)) {
      keys.push(key);
      walk(child as { states: Record<string, unknown> });
    }
  };
  walk(linkMachine.root as unknown as { states: Record<string, unknown> });
  return keys;
}

Page('Mermaid draws every state of the machine, from its definition', async () => {
  assert.is(await page.evaluate(() => document.body.dataset['ready']), '1');
  const labels = await page.$$eval('#diagram svg g[id*="-state-"]', (gs) => gs.map((g) => g.textContent?.trim() ?? ''));
  const keys = machineStateKeys();
  assert.equal(keys, ['unlinked', 'awaitingCallback', 'pending', 'confirming', 'linked', 'refreshing', 'revoked']);
  for (const key of keys) assert.ok(labels.some((l) => l === key || l.startsWith(key)), `the SVG draws state ${key}`);
  const drawn = await page.$$eval('[data-viz-state]', (gs) => gs.map((g) => g.getAttribute('data-viz-state')));
  assert.equal(drawn.sort(), ['awaitingCallback.confirming', 'awaitingCallback.pending', 'linked', 'refreshing', 'revoked', 'unlinked']);
  const arrows = await page.$$eval('#diagram svg .edgeLabel', (ls) => ls.map((l) => l.textContent?.trim()).filter(Boolean));
  for (const event of ['LoginStarted', 'GrantReceived', 'LinkConfirmed', 'RefreshStarted', 'TokensRefreshed', 'AccessRevoked', 'Unlinked']) {
    assert.ok(arrows.includes(event), `an arrow is labelled ${event}`);
  }
  assert.equal(problems, []);
});

Page('counts per state and the users are shown, each state badge matching its count', async () => {
  const counts = await page.$$eval('#counts tr', (rows) => Object.fromEntries(rows.map((r) => [r.cells[0]!.textContent, Number(r.cells[1]!.textContent)])));
  const expected: Record<string, number> = { unlinked: 0, 'awaitingCallback.pending': 0, 'awaitingCallback.confirming': 0, linked: 0, refreshing: 0, revoked: 0 };
  for (const state of Object.values(LOG_FINAL_STATES)) expected[state]! += 1;
  assert.equal(counts, expected);
  const badges = await page.$$eval('[data-viz-state]', (gs) => Object.fromEntries(gs.map((g) => [g.getAttribute('data-viz-state'), g.querySelector('.viz-badge text')?.textContent ?? '0'])));
  for (const [state, n] of Object.entries(expected)) assert.is(badges[state], String(n), `badge of ${state}`);
  assert.is(await page.$$eval('#users tbody tr', (rows) => rows.length), 9);
});

Page("the chosen user's current state is highlighted, with their path listed", async () => {
  assert.is(await page.evaluate(() => document.body.dataset['currentState']), 'linked');
  assert.is(await page.$eval('.viz-current', (g) => g.getAttribute('data-viz-state')), 'linked');
  const path = await page.$$eval('#path li', (lis) => lis.map((li) => li.textContent ?? ''));
  assert.is(path.length, 6);
  assert.match(path[4]!, /RefreshFailed: refreshing → linked/);
});

Page('an appended event moves the highlighted state (server-sent events)', async () => {
  await log.harness!.links.startLogin(LOG_USERS.failing);
  await page.waitForFunction(() => document.body.dataset['currentState'] === 'awaitingCallback.pending');
  assert.is(await page.$eval('.viz-current', (g) => g.getAttribute('data-viz-state')), 'awaitingCallback.pending');
  assert.match((await page.$$eval('#path li', (lis) => lis.map((li) => li.textContent ?? ''))).at(-1)!, /LoginStarted: linked → awaitingCallback\.pending/);
  assert.is(await page.$eval('[data-viz-state="linked"]', (g) => g.getAttribute('data-count')), '1');
  assert.is(await page.evaluate(() => document.querySelector('#status')?.getAttribute('data-status')), 'live');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL('viz.png', ARTIFACTS).pathname, fullPage: true });
  assert.equal(problems, []);
});

Page('the guards can be shown on the arrows', async () => {
  assert.not.ok((await page.textContent('#diagram svg'))!.includes('relinkFlagMatches'));
  await page.check('#guards');
  await page.waitForFunction(() => document.querySelector('#diagram svg')?.textContent?.includes('relinkFlagMatches'));
  assert.is(await page.$eval('.viz-current', (g) => g.getAttribute('data-viz-state')), 'awaitingCallback.pending', 'highlights survive a redraw');
});

Page.run();
