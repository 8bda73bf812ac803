import type { StoredEvent } from '../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelTransaction } from '../../kernel/projections/projection.js';
import { type LoanEvent, loanIdOfStream } from '../../loans/domain/loan-events.js';
import {
  type InstalmentBalance,
  applyAllocation,
  applyRestructuring,
  balancesFromSchedule,
  oldestUnpaidDueOn,
} from '../instalment-balances/instalment-balances.js';

export const COB_WORK_INDEX_TABLE = 'cob_work_index';

/**
 * Sorts before every business date: a restructured loan is visited every day of its
 * observation period, paid up or not, because close of business is what ends the period.
 */
const EVERY_DAY = '0000-01-01';

/**
 * Where close of business has work: each active loan with the due date of its oldest
 * instalment that still has unpaid principal or interest (every day while a restructured
 * loan is under observation). COB for date D visits only the loans whose date is on or
 * before D, so it never reads the history of a loan that is paid up.
 */
export class CobWorkIndexProjection implements Projection {
  readonly name = 'cob-work-index';
  readonly version = 2;
  readonly handles = [
    'LoanDisbursed',
    'PaymentReceived',
    'PaymentReversed',
    'LoanPaidOff',
    'LoanReopened',
    'LoanRestructured',
    'RestructuringObservationEnded',
    'LoanWrittenOff',
  ] satisfies LoanEvent['type'][];
  readonly tables = [COB_WORK_INDEX_TABLE];

  async createTables(db: ReadModelTransaction): Promise<void> {
    await db.schema
      .createTable(COB_WORK_INDEX_TABLE)
      .addColumn('loan_id', 'text', (c) => c.primaryKey())
      .addColumn('active', 'integer', (c) => c.notNull())
      // The first business date with work: the oldest unpaid due date, or EVERY_DAY.
      .addColumn('work_from', 'text')
      .addColumn('balances', 'text', (c) => c.notNull())
      .addColumn('in_restructuring_observation', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('cob_work_index_by_due_date')
      .on(COB_WORK_INDEX_TABLE)
      .columns(['active', 'work_from', 'loan_id'])
      .execute();
  }

  async apply(stored: StoredEvent, db: ReadModelTransaction): Promise<void> {
    const event = { type: stored.type, data: stored.data } as LoanEvent;
    const loanId = loanIdOfStream(stored.stream);
    if (event.type === 'LoanDisbursed') {
      await db.insertInto(COB_WORK_INDEX_TABLE).values(row(loanId, true, false, balancesFromSchedule(event.data.schedule))).execute();
      return;
    }
    const current = await db
      .selectFrom(COB_WORK_INDEX_TABLE)
      .select(['active', 'balances', 'in_restructuring_observation'])
      .where('loan_id', '=', loanId)
      .executeTakeFirstOrThrow();
    let active = Number(current.active) === 1;
    let inObservation = Number(current.in_restructuring_observation) === 1;
    let balances: InstalmentBalance[] = JSON.parse(current.balances);
    switch (event.type) {
      case 'PaymentReceived':
        balances = applyAllocation(balances, event.data.allocation, 1);
        break;
      case 'PaymentReversed':
        balances = applyAllocation(balances, event.data.allocation, -1);
        break;
      case 'LoanPaidOff':
        active = false;
        break;
      case 'LoanReopened':
        active = true;
        break;
      case 'LoanRestructured':
        balances = applyRestructuring(balances, event.data);
        inObservation = true;
        break;
      case 'RestructuringObservationEnded':
        inObservation = false;
        break;
      case 'LoanWrittenOff':
        active = false;
        break;
    }
    await db.updateTable(COB_WORK_INDEX_TABLE).set(row(loanId, active, inObservation, balances)).where('loan_id', '=', loanId).execute();
  }
}

function row(loanId: string, active: boolean, inObservation: boolean, balances: readonly InstalmentBalance[]) {
  return {
    loan_id: loanId,
    active: active ? 1 : 0,
    work_from: !active ? null : inObservation ? EVERY_DAY : (oldestUnpaidDueOn(balances) ?? null),
    balances: JSON.stringify(balances),
    in_restructuring_observation: inObservation ? 1 : 0,
  };
}
