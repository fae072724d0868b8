/**
 * The link lifecycle's clock: time-driven transitions cannot live in the pure machine, so a
 * sweeper walks the `link_state` table now and then and turns what is due into commands:
 *
 * - a login attempt past its deadline → `LoginExpired` (its key is shredded);
 * - a link whose refresh token is past its 180-day life → `AccessRevoked` (user told once);
 * - a link at day 170 → `RelinkReminderSent` and a reminder (once per link);
 * - a user left in `refreshing` by a crash → the refresh is retried.
 */
import type { LinkSummary } from './summary.ts';
import type { Logger } from '../log.ts';
import type { LinkRepository } from './linkRepository.ts';
import type { LinkTables } from './linkTables.ts';
import type { LinkNotice, LinkNotifier } from './ports.ts';
import type { TokenRefresher } from './tokenRefresher.ts';
import type { BatchOp } from '../../eventlog/index.ts';

/** Dependencies of {@link LinkSweeper}. */
export interface LinkSweeperDeps<Op = BatchOp> {
  repo: LinkRepository<Op>;
  tables: LinkTables;
  refresher: TokenRefresher<Op>;
  notifier: LinkNotifier;
  now: () => number;
  logger: Logger;
}

/** What one sweep did (for logs and tests). */
export interface SweepReport {
  expired: number;
  revoked: number;
  reminded: number;
  recovered: number;
}

/** Periodic expiry, reminders, revocation and crash recovery. */
export class LinkSweeper<Op = BatchOp> {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SweepReport> | undefined;

  constructor(private readonly deps: LinkSweeperDeps<Op>) {}

  /** Sweeps every `intervalMs` (and once now). */
  start(intervalMs = 30_000): void {
    if (this.#timer) return;
    const tick = () => void this.sweep().catch((err) => this.deps.logger.error({ err }, 'link sweep failed'));
    tick();
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One pass over every user; overlapping calls share the pass in progress. */
  sweep(): Promise<SweepReport> {
    this.#running ??= this.#sweep().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #sweep(): Promise<SweepReport> {
    const report: SweepReport = { expired: 0, revoked: 0, reminded: 0, recovered: 0 };
    for await (const [key, row] of this.deps.tables.linkState.entries()) {
      const userId = Number(key);
      try {
        await this.#sweepUser(userId, row.summary, report);
      } catch (err) {
        this.deps.logger.warn({ err, userId }, 'link sweep of one user failed');
      }
    }
    return report;
  }

  async #sweepUser(userId: number, summary: LinkSummary, report: SweepReport): Promise<void> {
    const { repo, refresher, now } = this.deps;
    const t = now();
    const attempt = summary.attempt;
    if (attempt && t >= (attempt.completionExpiresAt ?? attempt.expiresAt)) {
      const r = await repo.execute(userId, async () => ({ command: { type: 'expireLogin', now: now(), attemptId: attempt.attemptId } }));
      if (r?.decision.events.length) report.expired++;
    }
    const link = summary.link;
    if (summary.state === 'linked' && link) {
      if (t >= link.refreshExpiresAt) {
        const r = await repo.execute(userId, async (s) => (s.matches('linked') ? { command: { type: 'revokeAccess', now: now(), reason: 'refreshTokenExpired' } } : null));
        if (r?.decision.events.length) {
          report.revoked++;
          await this.#tell(userId, { kind: 'revoked', reason: 'refreshTokenExpired' });
        }
      } else if (!link.reminderSent && t >= link.reminderDueAt) {
        const r = await repo.execute(userId, async () => ({ command: { type: 'sendRelinkReminder', now: now() } }));
        if (r?.decision.events.length) {
          report.reminded++;
          await this.#tell(userId, { kind: 'relinkSoon', expiresAt: link.refreshExpiresAt });
        }
      }
    }
    if (summary.state === 'refreshing' && !refresher.isRefreshing(userId)) {
      // The row may be older than the user's state (the iterator reads a snapshot of the
      // table): `recover` re-checks and does nothing unless the user is still stuck.
      try {
        if ((await refresher.recover(userId)) !== null) report.recovered++;
      } catch (err) {
        // The interrupted refresh was closed; the new one failed (Spotify down, revoked…).
        report.recovered++;
        this.deps.logger.warn({ err, userId }, 'the refresh after an interrupted one failed');
      }
    }
  }

  async #tell(userId: number, notice: LinkNotice): Promise<void> {
    try {
      await this.deps.notifier.notify(userId, notice);
    } catch (err) {
      this.deps.logger.warn({ err, userId, notice: notice.kind }, 'could not notify the user');
    }
  }
}
