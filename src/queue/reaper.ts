/**
 * Finds jobs whose worker died and gives them their one retry, or reports them failed.
 *
 * A worker claims a job and takes a session-level advisory lock named after it in one
 * transaction (see `queueWorker.ts`), and keeps the lock until the job has settled. PostgreSQL
 * drops a session's locks when the session ends, so an `active` job whose lock nobody holds
 * has lost its worker: killed, crashed, or cut off from the database. Any instance may run
 * this; a transaction lock per queue makes it one at a time.
 */
import { outcomeOfRow } from './messages.ts';
import { adapter, type QueueRuntime } from './runtime.ts';

/** See the module comment. Fails each lost attempt once (pg-boss fences `fail` to the attempt). */
export async function reapLostJobs<P extends object, G>(rt: QueueRuntime<P, G>): Promise<void> {
  const { keys, schema, boss } = rt;
  const lost: { id: string; data: unknown }[] = [];
  await rt.transaction(async (tx) => {
    const { rows: got } = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [keys.reaperKey]);
    if (!got[0]?.ok) return; // another instance is reaping right now
    const { rows } = await tx.query<{ id: string; retry_count: number; data: unknown }>(
      `SELECT j.id, j.retry_count, j.data FROM ${schema}.job j
        WHERE j.name = $1 AND j.state = 'active'
          AND j.started_on < now() - make_interval(secs => $2::float8 / 1000)
          AND NOT EXISTS (
            SELECT 1 FROM pg_locks l
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
               AND l.classid = $3::int::oid AND l.objid = (hashtext(j.id::text) & 2147483647)::int::oid)`,
      [keys.name, rt.claimGraceMs, keys.jobClass],
    );
    for (const r of rows) {
      // Fenced to the attempt that lost its worker: a retry already running elsewhere is left alone.
      await boss.fail(keys.name, { id: r.id, retryCount: r.retry_count }, { code: 'QUEUE_WORKER_LOST' }, { db: adapter(tx) });
      const { rows: now } = await tx.query<{ state: string }>(`SELECT state FROM ${schema}.job WHERE name = $1 AND id = $2`, [keys.name, r.id]);
      rt.log.warn({ job: r.id, attempt: r.retry_count + 1, state: now[0]?.state }, 'job queue: a worker died holding this job');
      // `retry` wakes idle workers to take it now; `failed` (retryLimit spent) ends it for the submitter.
      if (now[0]?.state === 'failed') {
        await rt.notifyIn(tx, { t: 'end', job: r.id, outcome: outcomeOfRow('failed', null)! });
        lost.push({ id: r.id, data: r.data });
      } else await rt.notifyIn(tx, { t: 'wake' });
    }
  });
  // After the commit: the job is failed for good, and only this reaper saw it happen.
  for (const { id, data } of lost) {
    const payload = rt.payload.safeParse(data);
    if (payload.success) await rt.onLost?.(id, payload.data).catch((err: unknown) => rt.log.warn({ job: id, err: { message: (err as Error).message } }, 'job queue: telling the user of a lost job failed'));
  }
}
