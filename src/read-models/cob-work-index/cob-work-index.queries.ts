import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { ReadModelDb } from '../../infrastructure/projections/contract/projection.js';
import { COB_WORK_INDEX_TABLE } from './cob-work-index.projection.js';

/** How many active loans have work for close of business on `businessDate` (something fell due or accrues by then). */
export async function countLoansWithWork(db: ReadModelDb, businessDate: BusinessDate): Promise<number> {
  const row = await db
    .selectFrom(COB_WORK_INDEX_TABLE)
    .select((eb) => eb.fn.countAll().as('count'))
    .where('active', '=', 1)
    .where('work_from', '<=', businessDate)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The next `limit` loans with work on `businessDate` after `afterLoanId`, in loan id order: close of business pages through them. */
export async function loansWithWork(db: ReadModelDb, businessDate: BusinessDate, afterLoanId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom(COB_WORK_INDEX_TABLE)
    .select('loan_id')
    .where('active', '=', 1)
    .where('work_from', '<=', businessDate)
    .where('loan_id', '>', afterLoanId)
    .orderBy('loan_id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.loan_id as string);
}
