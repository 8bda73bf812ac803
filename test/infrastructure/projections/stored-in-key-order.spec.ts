import { join } from 'node:path';
import { sql } from 'kysely';
import type { Projection, ReadModelDb } from '../../../src/infrastructure/projections/contract/projection.js';
import { applyBatchToDatabase } from '../../../src/infrastructure/projections/runner/apply-row-families.js';
import { SqliteReplayTarget } from '../../../src/infrastructure/projections/replay/replay-target.js';
import { createCheckpointTable } from '../../../src/infrastructure/projections/runner/checkpoint-table.js';
import type { StoredEvent } from '../../../src/kernel/event-store/event-store.port.js';
import { allProjections } from '../../../src/read-models/all-projections.js';
import { StreamCatalogueProjection } from '../../../src/read-models/stream-catalogue/stream-catalogue.projection.js';
import { OverdueStatusProjection } from '../../../src/read-models/overdue-status/overdue-status.projection.js';
import { loanStream } from '../../../src/loans/domain/loan-events.js';
import { loanEvents } from '../../../bench/support/loan-portfolio.js';
import { emptyWal, pagesInWal, readModelFileForEachTest } from '../../support/read-model-file.js';

/**
 * Issue 23: close of business visits loans in loan id order, so the read-model tables of
 * short rows keyed by loan (or stream) are kept in key order on SQLite, and a batch of loans
 * next to each other in that order rewrites the few pages holding them, not a page per loan;
 * the tables of a loan's big rows are rowid tables, each row whole on its page.
 */
describe('read-model table layouts on SQLite: short rows in key order, a loan\'s big rows whole on their page', () => {
  const file = readModelFileForEachTest();

  const createTables = async (projections: readonly Projection[], db: ReadModelDb = file.db()) => {
    await db.transaction().execute(async (trx) => {
      for (const projection of projections) await projection.createTables(trx);
    });
  };

  const tablesByLayout = async () => {
    const { rows } = await sql<{ name: string; wr: number }>`SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' AND name <> 'projection_checkpoints'`.execute(file.db());
    const named = (wr: number) => rows.filter((table) => table.wr === wr).map((table) => table.name).sort();
    return { inKeyOrder: named(1), inFirstWriteOrder: named(0) };
  };
  const layout = {
    inKeyOrder: ['loan_register', 'stream_catalogue'],
    inFirstWriteOrder: ['cob_work_index', 'collection_borrowers', 'collection_promises', 'overdue_status', 'overdue_status_as_of'],
  };

  it('keeps the tables of short rows keyed by loan or stream in key order (WITHOUT ROWID), and the others as rowid tables', async () => {
    await createTables(allProjections());
    expect(await tablesByLayout()).toEqual(layout);
  });

  it('keeps them so after a replay swaps its tables in', async () => {
    const projections = allProjections();
    const target = new SqliteReplayTarget(join(file.folder(), 'replay.sqlite'));
    const scratch = await target.openScratch();
    await createTables(projections, scratch);
    await scratch.destroy();
    await createCheckpointTable(file.db());
    await target.swapIn(file.db(), projections, 0, new Date('2026-03-02T02:00:00Z'));
    expect(await tablesByLayout()).toEqual(layout);
  });

  /**
   * 20,000 streams first written in random order; then one batch of an event each for every
   * tenth stream of a run of 2,000 next to each other in name order, as close of business
   * makes them. The pages that batch's commit puts in the WAL are counted: 53 of the table's
   * 519 here; on the 16 KiB pages read models had then, 17 of 119, and 106 of 119 when it was
   * kept in first-write order (a rowid table).
   */
  it('rewrites only the pages of the rows a batch changes when they are next to each other by key', async () => {
    const catalogue = new StreamCatalogueProjection();
    await createTables([catalogue]);
    const names = Array.from({ length: 20_000 }, (_, index) => `loan-${String((index * 7_919) % 20_000).padStart(6, '0')}`);
    let position = 0;
    const eventOf = (stream: string, revision: number): StoredEvent => ({
      id: `${stream}:${revision}`,
      stream,
      type: revision === 0 ? 'LoanOriginated' : 'PenaltyAccrued',
      data: {},
      metadata: {},
      revision,
      position: ++position,
      recordedAt: '2026-03-02T02:00:00.000Z',
    });
    for (let start = 0; start < names.length; start += 1_000) {
      const batch = names.slice(start, start + 1_000).map((name) => eventOf(name, 0));
      await file.db().transaction().execute((trx) => applyBatchToDatabase(catalogue, batch, trx));
    }
    const tablePages = (await sql<{ pages: number }>`SELECT count(*) AS pages FROM dbstat WHERE name = 'stream_catalogue'`.execute(file.db())).rows[0]!.pages;
    await emptyWal(file.db());

    const neighbours = [...names].sort().slice(9_000, 11_000).filter((_, index) => index % 10 === 0);
    await file.db().transaction().execute((trx) => applyBatchToDatabase(catalogue, neighbours.map((name) => eventOf(name, 1)), trx));

    const rewritten = await pagesInWal(file.db());
    expect(tablePages).toBeGreaterThan(100);
    // The run of 2,000 covers a tenth of the table: a tenth of its pages, with the B-tree's interior ones.
    expect(rewritten).toBeLessThanOrEqual(Math.ceil(tablePages / 10) + 10);
    expect(rewritten).toBeGreaterThan(0);
    const counted = await file.db().selectFrom('stream_catalogue').select(['stream', 'event_count']).where('stream', 'in', neighbours).execute();
    expect(counted.map((row) => Number(row.event_count))).toEqual(neighbours.map(() => 2));
  });

  /**
   * A loan's overdue-status row holds its instalments and payments, a kilobyte or more: in
   * a WITHOUT ROWID table on 4 KiB pages its tail would go to an overflow page, written whole
   * with the row; on the 16 KiB pages read models had before, each row changed cost 16 KiB.
   * 600 loans' lives (bench/support/loan-portfolio.ts), then one batch of the last event
   * of every tenth loan, as close of business changes one loan's row in ten.
   */
  it("keeps each loan's overdue-status row whole on a 4 KiB page, so a batch changing one loan in ten writes about a page a loan", async () => {
    const overdue = new OverdueStatusProjection();
    await createTables([overdue]);
    let position = 0;
    const stored = (loan: number) =>
      loanEvents(loan).map(
        (event, revision): StoredEvent => ({ ...event, metadata: event.metadata ?? {}, stream: loanStream(`L${loan}`), revision, position: ++position, recordedAt: '2026-03-02T02:00:00.000Z' }),
      );
    const lives = Array.from({ length: 600 }, (_, loan) => stored(loan));
    const heldBack = lives.filter((_, loan) => loan % 10 === 0).map((life) => life.pop()!);
    const before = lives.flat().sort((a, b) => a.position - b.position);
    for (let start = 0; start < before.length; start += 5_000) {
      await file.db().transaction().execute((trx) => applyBatchToDatabase(overdue, before.slice(start, start + 5_000), trx));
    }
    const { rows } = await sql<{ rowBytes: number; overflowPages: number; pageBytes: number }>`
      SELECT (SELECT avg(length(instalments) + length(payments)) FROM overdue_status) AS "rowBytes",
             (SELECT count(*) FROM dbstat WHERE name = 'overdue_status' AND pagetype = 'overflow') AS "overflowPages",
             (SELECT page_size FROM pragma_page_size) AS "pageBytes"`.execute(file.db());
    const { rowBytes, overflowPages, pageBytes } = rows[0]!;
    expect(rowBytes).toBeGreaterThan(1_000);
    expect(overflowPages).toBe(0);
    await emptyWal(file.db());

    heldBack.sort((a, b) => a.position - b.position);
    await file.db().transaction().execute((trx) => applyBatchToDatabase(overdue, heldBack, trx));

    const rewritten = await pagesInWal(file.db());
    expect(heldBack).toHaveLength(60);
    // A page a loan, give or take the B-tree's interior pages and a row that moved.
    expect(rewritten * pageBytes).toBeLessThanOrEqual(heldBack.length * 6 * 1_024);
    expect(rewritten).toBeGreaterThanOrEqual(heldBack.length / 2);
  });
});
