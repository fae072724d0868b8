/**
 * One "Send all" run per user, across every instance that shares the storage: a run holds a
 * lease on its user, taken when it starts, renewed while it goes and given back when it ends.
 * With several web instances a user's second tap on "Send all" may reach another instance
 * than the first; without a shared lease each would send the whole album. A lease whose
 * instance died lapses after its time, so the user can start again.
 *
 * In one process the lease lives in memory ({@link MemorySendAllRuns}); with PostgreSQL in
 * the music module's schema (`pgSendAllRuns.ts`).
 *
 * @module
 */

/** See the module comment. */
export interface SendAllRuns {
  /**
   * Takes `userId`'s lease for run `runId`, or renews it if `runId` holds it, until `ttlMs`
   * from now; false while another run holds a lease that has not lapsed.
   */
  claim(userId: number, runId: string, ttlMs: number): Promise<boolean>;
  /** Gives `runId`'s lease back; a lease another run took meanwhile is left alone. */
  release(userId: number, runId: string): Promise<void>;
}

/** {@link SendAllRuns} of one process. */
export class MemorySendAllRuns implements SendAllRuns {
  readonly #leases = new Map<number, { runId: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(userId: number, runId: string, ttlMs: number): Promise<boolean> {
    const held = this.#leases.get(userId);
    if (held && held.runId !== runId && held.until > this.now()) return false;
    this.#leases.set(userId, { runId, until: this.now() + ttlMs });
    return true;
  }

  async release(userId: number, runId: string): Promise<void> {
    if (this.#leases.get(userId)?.runId === runId) this.#leases.delete(userId);
  }
}
