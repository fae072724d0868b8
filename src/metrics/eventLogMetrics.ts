/**
 * Link and event-log metrics, read from what the event log appends: logins started,
 * completed and rejected, refreshes and their failures, revocations, unlinks, appends and
 * events by type. The log is the single source, so every path that changes a link (bot,
 * callback, sweeper, refresher) is counted once, and only after its batch is durable.
 *
 * Projection lag is read from the checkpoints at scrape time: inline projections are written
 * in the same batch as the events, so it is 0 except while a projection is being rebuilt
 * (its checkpoint is then -1 and the lag is the whole log).
 *
 * @example
 * const stop = watchEventLog(store, metrics, linkProjections.map((p) => p.name));
 */
import type { Envelope, EventStore } from '../../eventlog/index.ts';
import type { LinkEvent } from '../../machines/spotifyLink.events.ts';
import type { Metrics } from './metrics.ts';

/** Why a login attempt ended without a link, as the `reason` label. */
export function rejectionReason(event: Envelope<LinkEvent>): string | undefined {
  switch (event.type) {
    case 'LinkRejected':
      return 'foreign_user';
    case 'LoginExpired':
      return 'expired';
    case 'LoginDenied': {
      const error = (event.data as { error?: string }).error;
      return error === 'access_denied' ? 'denied' : error === 'exchange_failed' ? 'exchange_failed' : 'oauth_error';
    }
    default:
      return undefined;
  }
}

/** Counts one append's events. */
export function countAppend(metrics: Metrics, events: readonly Envelope<LinkEvent>[]): void {
  metrics.eventlogAppends.inc();
  for (const event of events) {
    metrics.eventlogEvents.inc({ type: event.type });
    const data = event.data as { reason?: string };
    switch (event.type) {
      case 'LoginStarted':
        metrics.loginsStarted.inc();
        break;
      case 'LinkConfirmed':
        metrics.loginsCompleted.inc();
        break;
      case 'TokensRefreshed':
        metrics.refreshes.inc({ outcome: 'refreshed' });
        break;
      case 'RefreshFailed':
        metrics.refreshes.inc({ outcome: 'failed' });
        metrics.refreshFailures.inc({ reason: String(data.reason) });
        break;
      case 'AccessRevoked':
        if (data.reason === 'invalidGrant') metrics.refreshes.inc({ outcome: 'revoked' });
        metrics.revocations.inc({ reason: String(data.reason) });
        break;
      case 'Unlinked':
        metrics.unlinks.inc();
        break;
      default: {
        const reason = rejectionReason(event);
        if (reason) metrics.loginsRejected.inc({ reason });
      }
    }
  }
}

/** What the metrics read from an event log, whichever backend holds it. */
export interface WatchedLog {
  headPosition(): number | Promise<number>;
  /** The appends to count: this process's own (`LinkService.onAppended`), so several processes never count one twice. */
  subscribe(listener: (events: readonly Envelope<LinkEvent>[]) => void): () => void;
}

/**
 * Subscribes the metrics to the log and registers the head gauge, and the lag gauge when
 * `checkpoints` reads how far each projection has folded (LevelDB's projections can trail
 * the log at start-up; PostgreSQL's commit in the append's transaction, so they never lag).
 * Returns the unsubscribe function.
 */
export function watchEventLog(
  log: WatchedLog,
  metrics: Metrics,
  projections: readonly string[],
  checkpoints?: (projections: readonly string[]) => Promise<number[]>,
): () => void {
  metrics.gauge('eventlog_head_position', 'Global position of the last event in the log (-1: empty)', [], () => log.headPosition());
  if (checkpoints) {
    metrics.gauge('eventlog_projection_lag_events', 'Events of the log a projection has not folded in yet', ['projection'], async () => {
      const [head, positions] = await Promise.all([log.headPosition(), checkpoints(projections)]);
      return projections.map((name, i) => [{ projection: name }, Math.max(0, head - (positions[i] ?? -1))] as const);
    });
  }
  return log.subscribe((events) => countAppend(metrics, events));
}

/** How far each projection of a LevelDB store has folded (its checkpoints keyspace, docs/eventlog.md). */
export function levelCheckpoints(store: EventStore<LinkEvent>): (projections: readonly string[]) => Promise<number[]> {
  const keyspace = store.db.sublevel<string, string>('checkpoints', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  return async (projections) => {
    if (store.db.status !== 'open') return projections.map(() => store.headPosition());
    return (await keyspace.getMany([...projections])).map(parseCheckpoint);
  };
}

function parseCheckpoint(raw: string | undefined): number {
  if (raw === undefined) return -1;
  try {
    const { position } = JSON.parse(raw) as { position?: unknown };
    return typeof position === 'number' ? position : -1;
  } catch {
    return -1;
  }
}
