import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { Decider, DomainEvent } from '../../kernel/decider.js';

/**
 * The stream where each close of business records that it started on a date, before it
 * sends any loan its command for that date. A close that finds its date there is running
 * again after a run that stopped part-way, and some loans may have had their command
 * already; a close that does not is the date's first, and no loan has (the idempotency
 * lookup of each command can be skipped: CommandRequest.unseenCommandId). Kept apart from
 * the closed days (BUSINESS_DAY_STREAM), whose every event is a day closed.
 */
export const CLOSE_OF_BUSINESS_RUNS_STREAM = 'close-of-business-runs';

export interface CloseOfBusinessStartedData {
  readonly businessDate: BusinessDate;
}

export type CloseOfBusinessRunEvent = DomainEvent<'CloseOfBusinessStarted', CloseOfBusinessStartedData>;

export interface StartCloseOfBusiness {
  readonly businessDate: BusinessDate;
}

export interface CloseOfBusinessRunsState {
  /** Every date a close of business started on, in the order they started. */
  readonly startedOn: readonly BusinessDate[];
}

export const closeOfBusinessRunsDecider: Decider<StartCloseOfBusiness, CloseOfBusinessRunEvent, CloseOfBusinessRunsState> = {
  initialState: () => ({ startedOn: [] }),
  evolve: (state, event) => ({ startedOn: [...state.startedOn, event.data.businessDate] }),
  // One event a business day for as long as the engine runs: loaded without a copy per event.
  fold: (state, events) => ({ startedOn: [...state.startedOn, ...events.map((event) => event.data.businessDate)] }),
  decide: ({ businessDate }, state) => (state.startedOn.includes(businessDate) ? [] : [{ type: 'CloseOfBusinessStarted', data: { businessDate } }]),
};
