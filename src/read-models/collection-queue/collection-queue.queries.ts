import type { ReadModelDb } from '../../infrastructure/projections/contract/projection.js';
import { COLLECTION_PROMISES_TABLE } from './collection-queue.projection.js';

/** Each borrower with an open promise to pay, in borrower order, with the loans the promises were made on. */
export async function loansWithOpenPromises(db: ReadModelDb): Promise<Map<string, Set<string>>> {
  const open = await db.selectFrom(COLLECTION_PROMISES_TABLE).select(['borrower_id', 'loan_id']).where('status', '=', 'open').orderBy('borrower_id').execute();
  const loansByBorrower = new Map<string, Set<string>>();
  for (const { borrower_id, loan_id } of open) {
    if (!loansByBorrower.has(borrower_id)) loansByBorrower.set(borrower_id, new Set());
    loansByBorrower.get(borrower_id)!.add(loan_id);
  }
  return loansByBorrower;
}
