import type { ReadModelDb } from '../../infrastructure/projections/contract/projection.js';
import { LOAN_REGISTER_TABLE, type LoanRegisterRow } from './loan-register.projection.js';

/** A borrower has a handful of loans; the list is capped all the same. */
export const MAX_LOANS_PER_BORROWER = 1000;

/** A borrower's loans in the register, oldest origination first (at most MAX_LOANS_PER_BORROWER). */
export async function registeredLoansOf(db: ReadModelDb, borrowerId: string): Promise<LoanRegisterRow[]> {
  return (await db
    .selectFrom(LOAN_REGISTER_TABLE)
    .selectAll()
    .where('borrower_id', '=', borrowerId)
    .orderBy('originated_on')
    .orderBy('loan_id')
    .limit(MAX_LOANS_PER_BORROWER)
    .execute()) as LoanRegisterRow[];
}
