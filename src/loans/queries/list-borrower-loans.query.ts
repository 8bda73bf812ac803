import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatAmount } from '../../kernel/money/amount.js';
import { READ_MODEL_DB, type ReadModelDb } from '../../kernel/projections/projection.js';
import { LOAN_REGISTER_TABLE, type LoanRegisterRow } from '../../projections/loan-register/loan-register.projection.js';
import type { LoanSummaryDto } from './loan-summary.dto.js';

/** A borrower has a handful of loans; the list is capped all the same. */
export const MAX_LOANS_PER_BORROWER = 1000;

export class ListBorrowerLoansQuery extends Query<LoanSummaryDto[]> {
  constructor(readonly borrowerId: string) {
    super();
  }
}

/** From the loan-register projection: as current as its checkpoint (see GET /projections). */
@QueryHandler(ListBorrowerLoansQuery)
export class ListBorrowerLoansQueryHandler implements IQueryHandler<ListBorrowerLoansQuery> {
  constructor(@Inject(READ_MODEL_DB) private readonly readModels: ReadModelDb) {}

  async execute({ borrowerId }: ListBorrowerLoansQuery): Promise<LoanSummaryDto[]> {
    const rows = (await this.readModels
      .selectFrom(LOAN_REGISTER_TABLE)
      .selectAll()
      .where('borrower_id', '=', borrowerId)
      .orderBy('originated_on')
      .orderBy('loan_id')
      .limit(MAX_LOANS_PER_BORROWER)
      .execute()) as LoanRegisterRow[];
    return rows.map((row) => ({
      loanId: row.loan_id,
      borrowerId: row.borrower_id,
      currency: row.currency,
      principal: formatAmount(Number(row.principal), row.currency),
      status: row.status,
      originatedOn: row.originated_on,
      disbursedOn: row.disbursed_on,
      paidOffOn: row.paid_off_on,
    }));
  }
}
