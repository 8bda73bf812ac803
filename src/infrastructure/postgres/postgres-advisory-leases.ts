import pg from 'pg';
import type { ProjectionLeases } from '../projections/contract/projection-leases.js';

/**
 * A projection's lease is a PostgreSQL session-level advisory lock, held on a connection of
 * its own: when the instance dies, its session ends and the lock is free at once for
 * another instance to take.
 */
export class PostgresAdvisoryLeases implements ProjectionLeases {
  private client: pg.Client | undefined;
  private readonly held = new Set<string>();
  private lostListener: (() => void) | undefined;
  private closing = false;

  /** Leases are per read-model schema: two deployments on one server do not share them. */
  constructor(
    private readonly url: string,
    private readonly schema: string,
  ) {}

  async tryAcquire(projection: string): Promise<boolean> {
    if (this.held.has(projection)) return true;
    const client = await this.connection();
    const { rows } = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS taken', [`arrears-projection:${this.schema}:${projection}`]);
    if (rows[0]!.taken) this.held.add(projection);
    return rows[0]!.taken;
  }

  onLost(listener: () => void): void {
    this.lostListener = listener;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.held.clear();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.url, application_name: 'arrears-projection-leases' });
    client.on('error', () => this.lose(client));
    client.on('end', () => this.lose(client));
    await client.connect();
    this.client = client;
    return client;
  }

  private lose(client: pg.Client): void {
    if (this.client !== client || this.closing) return;
    this.client = undefined;
    this.held.clear();
    this.lostListener?.();
  }
}
