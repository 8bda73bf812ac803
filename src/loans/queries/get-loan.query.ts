import { Inject } from '@nestjs/common';
import { foldStream } from '../../kernel/fold-stream.js';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { NotFoundError } from '../../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../../kernel/event-store/event-store.port.js';
import { loanDecider } from '../domain/loan-decider.js';
import { type LoanEvent, loanStream } from '../domain/loan-events.js';
import { loanStateAsOf } from '../domain/loan-as-of.js';
import { loanDaysPastDue } from '../domain/overdue/days-past-due.js';
import { recordedBy } from '../../kernel/event-store/recorded-by.js';
import { BUSINESS_CLOCK, type BusinessClock } from '../../kernel/dates/business-clock.js';
import type { LoanViewDto } from './loan-view.dto.js';
import { toLoanView } from './to-loan-view.js';

export class GetLoanQuery extends Query<LoanViewDto> {
  constructor(
    readonly loanId: string,
    readonly payoffOn?: BusinessDate,
    /** Events that took effect on or before this business date only. */
    readonly asOf?: BusinessDate,
    /** Events recorded at or before this instant only. */
    readonly knownAt?: string,
  ) {
    super();
  }
}

/**
 * Reads the loan's own stream, so the answer is never behind the last command; as of a
 * business date and as known at an instant, from the events that pass both filters.
 */
@QueryHandler(GetLoanQuery)
export class GetLoanQueryHandler implements IQueryHandler<GetLoanQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(BUSINESS_CLOCK) private readonly clock: BusinessClock,
  ) {}

  async execute({ loanId, payoffOn, asOf, knownAt }: GetLoanQuery): Promise<LoanViewDto> {
    const history = recordedBy(await this.events.readStream(loanStream(loanId)), knownAt);
    const state = asOf ? loanStateAsOf(history.map((e) => ({ type: e.type, data: e.data }) as LoanEvent), asOf) : foldStream(loanDecider, history);
    if (!state.terms) throw new NotFoundError('LOAN.NOT_FOUND', knownAt || asOf ? `No loan ${loanId} as of ${asOf ?? knownAt}` : `No loan ${loanId}`);
    // What is owed now: today's business date, unless the loan is asked for as of another.
    const view = toLoanView({ ...state, terms: state.terms }, asOf ?? this.clock.today(), payoffOn);
    return asOf ? { ...view, asOf: { businessDate: asOf, knownAt: knownAt ?? null, daysPastDue: loanDaysPastDue(state, asOf) } } : view;
  }
}
