/**
 * Where the visualizer's events come from. A source delivers the whole log once (the
 * backlog), then what is appended, always in global order; the model drops what it has
 * already seen, so overlapping deliveries are harmless.
 *
 * @module
 */
import type { Envelope, EventStore } from '../../../eventlog/index.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';

/** Receives events in global order. */
export type EventSink = (events: readonly Envelope<LinkEvent>[]) => void;

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
export function storeSource(store: EventStore<LinkEvent>): VizSource {
  let unsubscribe: (() => void) | undefined;
  return {
    label: 'live store (in-process)',
    async start(sink) {
      let live = false;
      const early: Envelope<LinkEvent>[] = [];
      unsubscribe = store.subscribe((events) => {
        if (live) sink(events);
        else early.push(...events);
      });
      let chunk: Envelope<LinkEvent>[] = [];
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
