/**
 * Where the visualizer's events come from. A source delivers the whole log once (the
 * backlog), then what is appended, always in global order; the model drops what it has
 * already seen, so overlapping deliveries are harmless.
 *
 * @module
 */
import type { Envelope, EventStore } from '../../../eventlog/index.ts';
import type { StoredEvent } from '../../link/linkLog.ts';

/** Receives events in global order. */
export type EventSink = (events: readonly Envelope<StoredEvent>[]) => void;

/** A feed of link events for the visualizer. */
export interface VizSource {
  /** What is being shown, for the page header (e.g. `live store` or a data dir path). */
  readonly label: string;
  /** Delivers the backlog to `sink` (resolved once it is delivered), then appended events. */
  start(sink: EventSink): Promise<void>;
  /** Stops delivering; never closes a store it was given. */
  stop(): Promise<void>;
}

/** Events read from `readAll` are handed over in chunks of this many. */
const CHUNK = 1000;

/**
 * The running app's own store (in-process, dev mode): the backlog from `readAll`, then every
 * append through `subscribe`. Subscribes first, so nothing appended during the backlog read
 * is missed.
 *
 * @example startVisualizer({ source: storeSource(app.store) })
 */
export function storeSource(store: EventStore<StoredEvent>): VizSource {
  let unsubscribe: (() => void) | undefined;
  return {
    label: 'live store (in-process)',
    async start(sink) {
      let live = false;
      const early: Envelope<StoredEvent>[] = [];
      unsubscribe = store.subscribe((events) => {
        if (live) sink(events);
        else early.push(...events);
      });
      let chunk: Envelope<StoredEvent>[] = [];
      for await (const event of store.readAll()) {
        chunk.push(event);
        if (chunk.length >= CHUNK) {
          sink(chunk);
          chunk = [];
        }
      }
      sink(chunk);
      sink(early);
      live = true;
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
