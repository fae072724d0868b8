/**
 * `subscribe(listener, { from })` of the embedded store: the events already in the log are
 * read back first, then live appends follow, in global order and each event once.
 *
 * Appends committed while the log is being read are held back and handed over afterwards,
 * minus what the read already delivered, so the seam between catch-up and live delivery
 * neither skips nor repeats. The switch to live happens in one synchronous step, so no
 * append can slip between the last held-back one and the first live one.
 *
 * @module
 */
import type { AnyEvent, AppendListener, Envelope, EventLogLogger, EventMeta } from './types.ts';

/**
 * The log does not record where one append ends, so read-back events are grouped the way
 * an append looks: a run of consecutive events of one stream with one correlation id.
 * (An import into PostgreSQL marks append ends by the same rule.)
 */
export function sameAppend(a: Pick<EventMeta, 'stream' | 'correlationId' | 'streamPosition'>, b: Pick<EventMeta, 'stream' | 'correlationId' | 'streamPosition'>): boolean {
  return a.stream === b.stream && a.correlationId === b.correlationId && b.streamPosition === a.streamPosition + 1;
}

/**
 * Starts a catch-up subscription and returns its unsubscribe function.
 *
 * @param readAll reads committed events from a global position.
 * @param live registers a listener for committed appends (returns its unsubscribe).
 */
export function subscribeFrom<E extends AnyEvent>(
  from: number,
  listener: AppendListener<E>,
  readAll: (from: number) => AsyncIterable<Envelope<E>>,
  live: (listener: AppendListener<E>) => () => void,
  logger: EventLogLogger,
): () => void {
  let next = Math.max(0, from);
  let stopped = false;
  let caughtUp = false;
  const held: (readonly Envelope<E>[])[] = [];

  const deliver = (events: readonly Envelope<E>[]): void => {
    const fresh = events.filter((e) => e.meta.globalPosition >= next);
    if (stopped || fresh.length === 0) return;
    next = fresh.at(-1)!.meta.globalPosition + 1;
    try {
      const r = listener(fresh);
      if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((err) => logger.error({ err }, 'event listener failed'));
    } catch (err) {
      logger.error({ err }, 'event listener failed');
    }
  };

  const unsubscribe = live((events) => (caughtUp ? deliver(events) : void held.push(events)));

  void (async () => {
    let run: Envelope<E>[] = [];
    for await (const e of readAll(next)) {
      if (stopped) return;
      if (run.length > 0 && !sameAppend(run.at(-1)!.meta, e.meta)) deliver(run.splice(0));
      run.push(e);
    }
    deliver(run);
    for (const events of held.splice(0)) deliver(events);
    caughtUp = true;
  })().catch((err) => {
    // A log that cannot be read stops the subscription: skipping would break its promise.
    logger.error({ err }, 'catch-up subscription stopped: the log could not be read');
    stopped = true;
    unsubscribe();
  });

  return () => {
    stopped = true;
    unsubscribe();
  };
}
