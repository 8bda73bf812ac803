import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CommandPipeline } from '../../kernel/commands/command-pipeline.js';
import { NotFoundError } from '../../kernel/errors/domain-error.js';
import { loanDecider } from '../domain/loan-decider.js';
import { loanStream } from '../domain/loan-events.js';
import type { LoanPaymentsDto } from './loan-view.dto.js';
import { paymentsOf } from './to-loan-view.js';

export class ListLoanPaymentsQuery extends Query<LoanPaymentsDto> {
  constructor(
    readonly loanId: string,
    readonly offset: number,
    readonly limit: number,
  ) {
    super();
  }
}

/** A loan's payments in pages, in the order recorded: the list is append-only, so an offset names the same payments on every read. */
@QueryHandler(ListLoanPaymentsQuery)
export class ListLoanPaymentsQueryHandler implements IQueryHandler<ListLoanPaymentsQuery> {
  constructor(private readonly pipeline: CommandPipeline) {}

  async execute({ loanId, offset, limit }: ListLoanPaymentsQuery): Promise<LoanPaymentsDto> {
    const state = await this.pipeline.currentState(loanDecider, loanStream(loanId));
    if (!state.terms) throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`);
    return { loanId, total: state.payments.size, offset, payments: paymentsOf({ ...state, terms: state.terms }, offset, limit) };
  }
}
