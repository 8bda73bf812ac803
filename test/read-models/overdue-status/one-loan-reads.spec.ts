import { loanEvents } from '../../../bench/support/loan-portfolio.js';
import type { ReadModelDb } from '../../../src/infrastructure/projections/contract/projection.js';
import { applyBatchToDatabase } from '../../../src/infrastructure/projections/runner/apply-row-families.js';
import type { StoredEvent } from '../../../src/kernel/event-store/event-store.port.js';
import { loanStream } from '../../../src/loans/domain/loan-events.js';
import { OVERDUE_STATUS_TABLE, OverdueStatusProjection, type StoredOverdueLoan, overdueStatusLoans } from '../../../src/read-models/overdue-status/overdue-status.projection.js';
import { OverdueStatusReader } from '../../../src/read-models/overdue-status/overdue-status.reader.js';
import { openTestReadModels } from '../../support/test-config.js';

/**
 * One loan's overdue status, read on every dashboard request: the reader keeps each loan's
 * answer and gives it again, after reading only when the row last changed (changed_at) and
 * the last closed business date, while both are the same. Loan L0 of the benchmark
 * portfolio stops paying after its third instalment and is closed daily for four months.
 */
describe('overdue status of one loan, read again and again', () => {
  const projection = new OverdueStatusProjection();
  let readModels: ReadModelDb;
  let life: StoredEvent[];

  beforeEach(async () => {
    readModels = await openTestReadModels();
    await readModels.transaction().execute(async (trx) => {
      for (const table of projection.tables) await trx.schema.dropTable(table).ifExists().execute();
      await projection.createTables(trx);
    });
    life = loanEvents(0).map((event, revision) => ({
      id: `L0:${revision}`,
      stream: loanStream('L0'),
      type: event.type,
      data: event.data,
      metadata: {},
      revision,
      position: revision + 1,
      recordedAt: '2026-03-02T02:00:00.000Z',
    }));
  });
  afterEach(async () => {
    await readModels.destroy();
  });

  /** The close of a business day, as the close of business appends it after the loans' events. */
  const dayClosed = (businessDate: string, position: number): StoredEvent => ({
    id: `day:${businessDate}`,
    stream: 'business-day',
    type: 'BusinessDayClosed',
    data: { businessDate },
    metadata: {},
    revision: 0,
    position,
    recordedAt: '2026-03-02T02:00:00.000Z',
  });
  const project = (events: StoredEvent[]) => readModels.transaction().execute((trx) => applyBatchToDatabase(projection, events, trx));
  /** What a reader that has kept nothing answers. */
  const fresh = (loanId: string) => new OverdueStatusReader(readModels).forLoan(loanId);

  it("folds each event into a new row, never into one it handed out before (the row's position is set on the new one)", () => {
    const handled = new Set<string>(projection.handles);
    const handedOut: { row: StoredOverdueLoan; changedAt: number }[] = [];
    let row: StoredOverdueLoan | undefined;
    for (const event of life.filter((e) => handled.has(e.type))) {
      const next = overdueStatusLoans.next(row, event)!;
      expect(next).not.toBe(row);
      expect(next.changed_at).toBe(event.position);
      handedOut.push({ row: next, changedAt: next.changed_at });
      row = next;
    }
    expect(handedOut.length).toBeGreaterThan(100);
    for (const { row: earlier, changedAt } of handedOut) expect(earlier.changed_at).toBe(changedAt);
  });

  it('answers anew once the loan has new events', async () => {
    const reader = new OverdueStatusReader(readModels);
    const lastPayment = life.findLastIndex((event) => event.type === 'PaymentReceived');
    await project([...life.slice(0, lastPayment), dayClosed('2025-04-10', 1_000)]);
    const before = await reader.forLoan('L0');
    expect(await reader.forLoan('L0')).toEqual(before);

    await project([life[lastPayment]!]);
    const after = await reader.forLoan('L0');
    expect(after).toEqual(await fresh('L0'));
    expect(after.lastPayment).not.toEqual(before.lastPayment);
  });

  it('answers anew once another business day is closed', async () => {
    const reader = new OverdueStatusReader(readModels);
    await project([...life, dayClosed('2025-07-10', 1_000)]);
    const before = await reader.forLoan('L0');
    expect(before.daysPastDue).toBeGreaterThan(0);

    await project([dayClosed('2025-07-11', 1_001)]);
    const after = await reader.forLoan('L0');
    expect(after).toEqual(await fresh('L0'));
    expect(after.daysPastDue).toBe(before.daysPastDue + 1);
  });

  it('gives its kept answer again after reading only when the row changed and the date', async () => {
    const reader = new OverdueStatusReader(readModels);
    await project([...life, dayClosed('2025-07-10', 1_000)]);
    const kept = await reader.forLoan('L0');
    // The row's other columns changed behind the projection's back, not its changed_at:
    // a reader that looked at them would answer differently; this one does not look.
    await readModels.updateTable(OVERDUE_STATUS_TABLE).set({ times_90_dpd: 7 }).where('loan_id', '=', 'L0').execute();
    expect(await reader.forLoan('L0')).toEqual(kept);
    expect((await fresh('L0')).timesReached.dpd90).toBe(7);
  });

  it('still answers that a loan it never saw is not there', async () => {
    await project(life);
    await expect(new OverdueStatusReader(readModels).forLoan('L404')).rejects.toThrow('No loan L404');
  });
});
