import { loanEvents } from '../../bench/support/loan-portfolio.js';
import type { Projection, ReadModelDb } from '../../src/infrastructure/projections/contract/projection.js';
import { createCheckpointTable, writeCheckpoint } from '../../src/infrastructure/projections/runner/checkpoint-table.js';
import type { EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { loanStream } from '../../src/loans/domain/loan-events.js';
import { openTestReadModels } from './test-config.js';

/**
 * What the rebuild tests share: a log of loans interleaved as close of business writes them
 * (each loan's rows named again and again), read-model tables empty at position 0 for a
 * rebuild to fill, and the tables' contents to compare two rebuilds by.
 */

/** Loans L0..L(n-1), their lives from bench/support/loan-portfolio.ts, appended five events a loan at a time in turn. */
export async function appendInterleavedLoans(store: Pick<EventStore, 'appendToStreams'>, loans: number): Promise<void> {
  const lives = Array.from({ length: loans }, (_, index) => loanEvents(index));
  for (let step = 0; lives.some((life) => life.length > 0); step++) {
    const appends = lives.flatMap((life, index) => {
      const events = life.splice(0, 5);
      return events.length === 0 ? [] : [{ stream: loanStream(`L${index}`), events, expectedRevision: step === 0 ? ('no-stream' as const) : step * 5 - 1 }];
    });
    await store.appendToStreams(appends);
  }
}

/** A read-model database (the test's read store) with the projections' tables empty and their checkpoints at 0. */
export async function emptyProjectionTables(projections: readonly Projection[]): Promise<ReadModelDb> {
  const db = await openTestReadModels();
  await createCheckpointTable(db);
  await db.transaction().execute(async (trx) => {
    for (const projection of projections) {
      for (const table of projection.tables) await trx.schema.dropTable(table).ifExists().execute();
      await projection.createTables(trx);
      await writeCheckpoint(trx, projection.name, { version: projection.version, position: 0 }, new Date());
    }
  });
  return db;
}

/** Every row of the projections' tables, as JSON text in key order, by table. */
export async function projectionTables(db: ReadModelDb, projections: readonly Projection[]): Promise<Record<string, string[]>> {
  const contents: Record<string, string[]> = {};
  for (const projection of projections) {
    for (const [index, table] of projection.tables.entries()) {
      const key = projection.families[index]!.keyColumn;
      contents[table] = (await db.selectFrom(table).selectAll().orderBy(key).execute()).map((row) => JSON.stringify(row));
    }
  }
  return contents;
}
