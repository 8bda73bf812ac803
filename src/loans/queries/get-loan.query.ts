import { Inject } from '@nestjs/common';
import { foldStream } from '../../kernel/fold-stream.js';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { NotFoundError } from '../../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../../kernel/event-store/event-store.port.js';
import { loanDecider } from '../domain/loan-decider.js';
import { loanStream } from '../domain/loan-events.js';
import type { LoanViewDto } from './loan-view.dto.js';
import { toLoanView } from './to-loan-view.js';

export class GetLoanQuery extends Query<LoanViewDto> {
  constructor(
    readonly loanId: string,
    readonly payoffOn?: BusinessDate,
  ) {
    super();
  }
}

/** Reads the loan's own stream, so the answer is never behind the last command. */
@QueryHandler(GetLoanQuery)
export class GetLoanQueryHandler implements IQueryHandler<GetLoanQuery> {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async execute({ loanId, payoffOn }: GetLoanQuery): Promise<LoanViewDto> {
    const history = await this.events.readStream(loanStream(loanId));
    const state = foldStream(loanDecider, history);
    if (!state.terms) throw new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`);
    return toLoanView({ ...state, terms: state.terms }, payoffOn);
  }
}
