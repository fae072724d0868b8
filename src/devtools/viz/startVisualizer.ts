/**
 * Starts the live state-machine visualizer: a page on 127.0.0.1 that draws the link machine
 * from its definition, counts users per state and shows a chosen user's path of states,
 * updated by server-sent events as events are appended.
 *
 * Development only; nothing starts it unless asked (`npm run dev:viz`, or the app calling it
 * in dev mode with its running store).
 *
 * @example
 * // in-process, with the running app's store
 * const viz = await startVisualizer({ store: app.store, host: '127.0.0.1', port: 8090 });
 * logger.info({ url: viz.url }, 'visualizer');
 * await viz.close();              // does not close the store
 *
 * @module
 */
import type { EventStore } from '../../../eventlog/index.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { LinkModel } from './linkModel.ts';
import { createVizServer } from './server.ts';
import { storeSource, type VizSource } from './source.ts';
import { SseHub } from './sse.ts';

/** Options of {@link startVisualizer}: give `store` (in-process) or `source` (e.g. `dataDirSource`). */
export interface StartVisualizerOptions {
  /** The running app's store: the backlog, then every append, live. */
  store?: EventStore<LinkEvent>;
  /** Any other feed of events (see `dataDirSource`). */
  source?: VizSource;
  /** Default `127.0.0.1`; anything but loopback is refused unless `allowNonLoopback`. */
  host?: string;
  /** Default 8090; 0 picks a free port. */
  port?: number;
  /** The explicit override for a non-loopback host (`--i-know`). */
  allowNonLoopback?: boolean;
  /** Appends within this window are sent to the page as one update (default 30 ms). */
  coalesceMs?: number;
}

/** A running visualizer. */
export interface RunningVisualizer {
  /** Where to point the browser, e.g. `http://127.0.0.1:8090/`. */
  readonly url: string;
  readonly port: number;
  /** Stops the source and the server (a given store stays open). */
  close(): Promise<void>;
}

/**
 * Loads the backlog, then listens.
 * @throws {VizHostRefusedError} for a non-loopback host without `allowNonLoopback`.
 */
export async function startVisualizer(options: StartVisualizerOptions): Promise<RunningVisualizer> {
  const source = options.source ?? (options.store ? storeSource(options.store) : undefined);
  if (!source) throw new TypeError('startVisualizer needs a store or a source');
  const host = options.host ?? '127.0.0.1';
  const model = new LinkModel();
  const hub = new SseHub();
  const server = createVizServer({
    host,
    port: options.port ?? 8090,
    allowNonLoopback: options.allowNonLoopback === true,
    model,
    hub,
    label: source.label,
  });

  const changed = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const users = [...changed].map((id) => model.user(id)).filter((u) => u !== undefined);
    changed.clear();
    hub.broadcast('change', { ...model.overview(), changed: users });
  };
  await source.start((events) => {
    for (const id of model.apply(events)) changed.add(id);
    if (changed.size > 0 && !timer && hub.size > 0) timer = setTimeout(flush, options.coalesceMs ?? 30);
    // Nobody is watching: the next page gets the whole picture on connect anyway.
    if (hub.size === 0) changed.clear();
  });
  let port: number;
  try {
    ({ port } = await server.listen());
  } catch (err) {
    await source.stop();
    throw err;
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    async close() {
      clearTimeout(timer);
      await source.stop();
      await server.close();
    },
  };
}
