import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatAmount } from '../../kernel/money/amount.js';
import { READ_MODEL_DB, type ReadModelDb } from '../../infrastructure/projections/contract/projection.js';
import { registeredLoansOf } from './loan-register.queries.js';
import type { LoanSummaryDto } from './loan-summary.dto.js';

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
    const rows = await registeredLoansOf(this.readModels, borrowerId);
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
