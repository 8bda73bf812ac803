import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { openPostgresReadModelDb } from '../../postgres/postgres-read-model-db.js';
import { openSqliteReadModelDb } from '../../sqlite/sqlite-read-model-db.js';
import type { GlobalPosition } from '../../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from '../contract/projection.js';
import { writeCheckpoint } from '../runner/checkpoint-table.js';

/** Where a replay builds fresh tables, and how they replace the live ones in one transaction. */
export interface ReplayTarget {
  /** An empty scratch database for the rebuild. */
  openScratch(): Promise<ReadModelDb>;
  /** Puts the scratch tables in place of the live ones, with the checkpoints, atomically; then removes the scratch. */
  swapIn(live: ReadModelDb, projections: readonly Projection[], position: GlobalPosition, now: Date): Promise<void>;
  /** Removes the scratch database after a replay that did not reach the swap. */
  discard(): Promise<void>;
}

/** The embedded store: a scratch SQLite file, attached to the live one for the swap. */
export class SqliteReplayTarget implements ReplayTarget {
  constructor(private readonly scratchPath: string) {}

  /**
   * A scratch file written without a journal or disk syncs: nothing in it is kept unless
   * the swap copies it, and a replay that fails, rolls back or dies midway leaves it only
   * to be removed. Opened so from the start (sqlite-read-model-db.ts): asked to leave WAL
   * mode afterwards, SQLite refused without a word and every page went through the log.
   */
  async openScratch(): Promise<ReadModelDb> {
    await this.discard();
    return openSqliteReadModelDb(this.scratchPath, { scratch: true });
  }

  async swapIn(live: ReadModelDb, projections: readonly Projection[], position: GlobalPosition, now: Date): Promise<void> {
    await sql`ATTACH DATABASE ${this.scratchPath} AS replay`.execute(live);
    try {
      await live.transaction().execute(async (trx) => {
        for (const projection of projections) {
          // Qualified: unqualified, SQLite would look in the attached database too.
          for (const table of projection.tables) await sql`DROP TABLE IF EXISTS main.${sql.id(table)}`.execute(trx);
          await projection.createTables(trx);
          for (const table of projection.tables) await sql`INSERT INTO main.${sql.id(table)} SELECT * FROM replay.${sql.id(table)}`.execute(trx);
          await writeCheckpoint(trx, projection.name, { version: projection.version, position }, now);
        }
      });
    } finally {
      await sql`DETACH DATABASE replay`.execute(live);
      await this.discard();
    }
  }

  async discard(): Promise<void> {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.scratchPath}${suffix}`, { force: true });
  }
}

/** PostgreSQL: a scratch schema beside the live one; the swap moves its tables over (DDL is transactional). */
export class PostgresReplayTarget implements ReplayTarget {
  private readonly scratchSchema: string;

  constructor(
    private readonly url: string,
    private readonly schema: string,
  ) {
    this.scratchSchema = `${schema}_replay`;
  }

  async openScratch(): Promise<ReadModelDb> {
    await this.discard();
    return openPostgresReadModelDb(this.url, this.scratchSchema);
  }

  async swapIn(live: ReadModelDb, projections: readonly Projection[], position: GlobalPosition, now: Date): Promise<void> {
    try {
      await live.transaction().execute(async (trx) => {
        for (const projection of projections) {
          for (const table of projection.tables) {
            await sql`DROP TABLE IF EXISTS ${sql.id(this.schema, table)}`.execute(trx);
            await sql`ALTER TABLE ${sql.id(this.scratchSchema, table)} SET SCHEMA ${sql.id(this.schema)}`.execute(trx);
          }
          await writeCheckpoint(trx, projection.name, { version: projection.version, position }, now);
        }
      });
    } finally {
      await this.discard();
    }
  }

  async discard(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${this.scratchSchema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
}
