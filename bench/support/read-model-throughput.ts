import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { pino } from 'pino';
import { EVENT_SCHEMAS } from '../../src/app/event-schemas.js';
import { openPostgresReadModelDb } from '../../src/infrastructure/postgres/postgres-read-model-db.js';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { openSqliteReadModelDb } from '../../src/infrastructure/sqlite/sqlite-read-model-db.js';
import { UpcastingEventStore } from '../../src/kernel/event-store/upcasting-event-store.js';
import type { ReadModelDb } from '../../src/infrastructure/projections/contract/projection.js';
import { allProjections } from '../../src/read-models/all-projections.js';
import { createCheckpointTable } from '../../src/infrastructure/projections/runner/checkpoint-table.js';
import { ProjectionRunner } from '../../src/infrastructure/projections/runner/projection-runner.js';
import { seedLoanPortfolio } from './loan-portfolio.js';

const BATCH_SIZE = 500;

export interface ReadModelStoreRun {
  readonly store: string;
  /** Events in the log the projections went through. */
  readonly events: number;
  /** Following the log, the projections all at once: per batch of each, one read and one upsert per row family, and a transaction. */
  readonly followingRate: number;
  /** From the first event: rows folded in memory, written once; the projections one after another. */
  readonly rebuildRate: number;
}

/**
 * The five projections over the same loan portfolio on the embedded SQLite read store and
 * on PostgreSQL, in the same run: events per second following the log batch by batch, and
 * rebuilding from the first event. PostgreSQL is skipped, saying so, when unreachable (its
 * run is then absent from what is returned).
 */
export async function compareReadModelStores(
  folder: string,
  postgresUrl: string,
  loans: number,
): Promise<{ readonly sqlite: ReadModelStoreRun; readonly postgres?: ReadModelStoreRun }> {
  const eventsPath = join(folder, 'read-model-bench-events.sqlite');
  const head = await seedLoanPortfolio(eventsPath, loans);
  const events = new UpcastingEventStore(new SqliteEventStore(openSqliteDatabase(eventsPath)), EVENT_SCHEMAS);
  console.log(`\nRead-model stores: the ${allProjections().length} projections over ${loans.toLocaleString('en')} loans (${head.toLocaleString('en')} events), batches of ${BATCH_SIZE}`);
  const runs: ReadModelStoreRun[] = [];
  let postgres: ReadModelStoreRun | undefined;
  try {
    runs.push(await measure('SQLite (file, synchronous=NORMAL)', () => openSqliteReadModelDb(join(folder, `read-models-${randomUUID()}.sqlite`)), events, head));
    if (await reachable(postgresUrl)) {
      const schemas: string[] = [];
      try {
        runs.push(
          (postgres = await measure(`PostgreSQL (${new URL(postgresUrl).host})`, async () => {
            const schema = `arrears_bench_${randomUUID().replaceAll('-', '')}`;
            schemas.push(schema);
            return openPostgresReadModelDb(postgresUrl, schema);
          }, events, head)),
        );
      } finally {
        await dropSchemas(postgresUrl, schemas);
      }
    } else {
      console.log(`  PostgreSQL SKIPPED: nothing answers at ${postgresUrl} (set BENCH_POSTGRES_URL)`);
    }
  } finally {
    await events.close();
  }
  for (const run of runs) {
    console.log(`  ${run.store.padEnd(36)} following the log ${Math.round(run.followingRate).toLocaleString('en').padStart(8)} events/s   rebuilding ${Math.round(run.rebuildRate).toLocaleString('en').padStart(9)} events/s`);
  }
  const sqlite = runs[0]!;
  if (postgres) {
    console.log(`  PostgreSQL / SQLite: ${(postgres.followingRate / sqlite.followingRate).toFixed(2)} following, ${(postgres.rebuildRate / sqlite.rebuildRate).toFixed(2)} rebuilding`);
  }
  return postgres ? { sqlite, postgres } : { sqlite };
}

async function measure(store: string, open: () => ReadModelDb | Promise<ReadModelDb>, events: UpcastingEventStore, head: number): Promise<ReadModelStoreRun> {
  const rate = async (rebuildInMemory: boolean) => {
    const readModels = await open();
    try {
      await createCheckpointTable(readModels);
      const runners = allProjections().map(
        (projection) => new ProjectionRunner(projection, events, readModels, { batchSize: BATCH_SIZE, rebuildInMemory, logger: pino({ level: 'silent' }) }),
      );
      const startedAt = performance.now();
      if (rebuildInMemory) {
        // One after another: the host rebuilds them in one shared pass instead (SharedRebuild), which this line does not measure.
        for (const runner of runners) await runner.runUntilCaughtUp();
      } else {
        // All at once, as the projection host runs them (each from its own checkpoint, on one thread and one read-model connection).
        // Here they start from the same checkpoint with nothing appended meanwhile, so they read the same pages in step: the
        // best case for the pages the store keeps (recent-log-pages.ts), as in a catch-up of projections that stood together.
        await Promise.all(runners.map((runner) => runner.runUntilCaughtUp()));
      }
      return head / ((performance.now() - startedAt) / 1000);
    } finally {
      await readModels.destroy();
    }
  };
  return { store, events: head, followingRate: await rate(false), rebuildRate: await rate(true) };
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
