import pg from 'pg';
import { type RunLock, runLockHolder } from '../run-lock.js';

/**
 * A PostgreSQL session advisory lock per run, on a connection opened for the run alone: taken
 * with `pg_try_advisory_lock` (a second engine is refused at once, never queued), released
 * when the work ends, and at once should the engine die mid-run (its session ends). The
 * connection's `application_name` says who holds it, which is what a refused caller is told
 * (read from `pg_locks` and `pg_stat_activity`). Locks are per schema: two deployments on one
 * server do not share them.
 */
export class PostgresRunLock implements RunLock {
  constructor(
    private readonly url: string,
    private readonly schema: string,
  ) {}

  async whileHolding<T>(name: string, description: string, work: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false; heldBy: string }> {
    const holder = runLockHolder(description).slice(0, 63);
    const client = new pg.Client({ connectionString: this.url, application_name: holder });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const key = [`arrears-run-lock:${this.schema}`, name];
      const { rows } = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS taken', key);
      if (!rows[0]!.taken) return { ran: false, heldBy: await this.holderOf(client, key) };
      try {
        return { ran: true, result: await work() };
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', key).catch(() => undefined);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async holderOf(client: pg.Client, key: string[]): Promise<string> {
    const { rows } = await client.query<{ holder: string; since: Date }>(
      `SELECT a.application_name AS holder, a.backend_start AS since FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.classid = hashtext($1)::oid AND l.objid = hashtext($2)::oid AND l.objsubid = 2`,
      key,
    );
    const found = rows[0];
    // Released between the two statements: someone held it a moment ago.
    return found ? `${found.holder} (since ${found.since.toISOString()})` : 'another engine (it has just finished)';
  }
}
