import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { NotFoundError } from '../../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../../kernel/event-store/event-store.port.js';
import { loanDecider } from '../domain/loan-decider.js';
import { type LoanEvent, loanStream } from '../domain/loan-events.js';
import { LoanAsOf } from '../domain/loan-as-of.js';
import { loanDaysPastDue } from '../domain/days-past-due.js';
import { type FoldOwned, type LoanState, evolveLoanIn, initialLoanState } from '../domain/loan-state.js';
import { CommandPipeline } from '../../kernel/commands/command-pipeline.js';
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
    /** How many of the most recent payments the view lists. */
    readonly paymentsLimit?: number,
  ) {
    super();
  }
}

/** A long history is folded this many events at a time, other requests getting a turn in between. */
const EVENTS_PER_TURN = 2_000;

/**
 * Reads the loan's own stream, so the answer is never behind the last command; as of a
 * business date and as known at an instant, from the events that pass both filters.
 * The embedded store answers synchronously, so a long history would hold up every other
 * request while it is folded: the fold gives them a turn every EVENTS_PER_TURN events.
 */
@QueryHandler(GetLoanQuery)
export class GetLoanQueryHandler implements IQueryHandler<GetLoanQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(BUSINESS_CLOCK) private readonly clock: BusinessClock,
    private readonly pipeline: CommandPipeline,
  ) {}

  async execute({ loanId, payoffOn, asOf, knownAt, paymentsLimit }: GetLoanQuery): Promise<LoanViewDto> {
    const state = await this.loanState(loanId, asOf, knownAt);
    if (!state.terms) throw new NotFoundError('LOAN.NOT_FOUND', knownAt || asOf ? `No loan ${loanId} as of ${asOf ?? knownAt}` : `No loan ${loanId}`);
    await yieldToEventLoop();
    // What is owed now: today's business date, unless the loan is asked for as of another.
    const view = toLoanView({ ...state, terms: state.terms }, asOf ?? this.clock.today(), payoffOn, paymentsLimit);
    return asOf ? { ...view, asOf: { businessDate: asOf, knownAt: knownAt ?? null, daysPastDue: loanDaysPastDue(state, asOf) } } : view;
  }

  /**
   * The loan as it stands now is the command path's: the state the last command in this
   * process left when the stream has not moved since, else its snapshot (kept every few
   * events) and the events after it, so a loan with a long history is not folded from its
   * first event on every read. As of a date, or as known at an instant, it is folded from
   * the events that pass both filters, in turns.
   */
  private async loanState(loanId: string, asOf: BusinessDate | undefined, knownAt: string | undefined): Promise<LoanState> {
    const stream = loanStream(loanId);
    if (asOf === undefined && knownAt === undefined) return this.pipeline.currentState(loanDecider, stream);
    const history = recordedBy(await this.events.readStream(stream), knownAt);
    if (asOf !== undefined) {
      const loan = new LoanAsOf(asOf);
      await inTurns(history, (stored) => loan.apply({ type: stored.type, data: stored.data } as LoanEvent));
      return loan.state;
    }
    // One fold across the turns (FoldOwned), as foldStream's would be.
    const owned: FoldOwned = new WeakSet();
    let state = initialLoanState();
    await inTurns(history, (stored) => (state = evolveLoanIn(state, { type: stored.type, data: stored.data } as LoanEvent, owned)));
    return state;
  }
}

/** Calls `apply` with each item in turn, giving the event loop a turn before each EVENTS_PER_TURN items. */
async function inTurns<T>(items: readonly T[], apply: (item: T) => unknown): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i % EVENTS_PER_TURN === 0) await yieldToEventLoop();
    apply(items[i]!);
  }
}
