import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { Decider, DomainEvent } from '../../kernel/decider.js';
import { BusinessRuleViolation } from '../../kernel/errors/domain-error.js';
import type { AnnualRate } from '../../kernel/money/rate.js';

/** The stream where each completed close of business is recorded, one business date after another. */
export const BUSINESS_DAY_STREAM = 'close-of-business';

export interface CloseOfBusinessSummary {
  readonly loansVisited: number;
  readonly eventsAppended: number;
  readonly instalmentsMissed: number;
  readonly penaltyAccruals: number;
  readonly delinquencyThresholds: number;
  readonly promisesKept: number;
  readonly promisesBroken: number;
}

/** The lending policy in force when a day was closed: what the regulator report of that day judges rates against. */
export interface PolicyInForce {
  readonly name: string;
  readonly costCapAnnualRate: AnnualRate;
}

export interface BusinessDayClosedData extends CloseOfBusinessSummary {
  readonly businessDate: BusinessDate;
  readonly previousBusinessDate: BusinessDate | null;
  /** Absent on closes recorded before it was: the report then judges each loan by the policy it was originated under. */
  readonly lendingPolicy?: PolicyInForce;
}

export type BusinessDayEvent = DomainEvent<'BusinessDayClosed', BusinessDayClosedData>;

export interface BusinessDayState {
  readonly lastClosedOn: BusinessDate | undefined;
}

export interface RecordBusinessDayClosed {
  readonly businessDate: BusinessDate;
  readonly summary: CloseOfBusinessSummary;
  readonly lendingPolicy: PolicyInForce;
}

/** Business dates only move forward: closing an earlier date than the last one is refused. */
export function assertCanClose(state: BusinessDayState, businessDate: BusinessDate): void {
  if (state.lastClosedOn !== undefined && businessDate < state.lastClosedOn) {
    throw new BusinessRuleViolation(
      'COB.DATE_BEFORE_LAST_CLOSE',
      `Close of business already ran for ${state.lastClosedOn}; ${businessDate} is earlier`,
      { lastClosedOn: state.lastClosedOn, businessDate },
    );
  }
}

export const businessDayDecider: Decider<RecordBusinessDayClosed, BusinessDayEvent, BusinessDayState> = {
  initialState: () => ({ lastClosedOn: undefined }),
  evolve: (_, event) => ({ lastClosedOn: event.data.businessDate }),
  decide({ businessDate, summary, lendingPolicy }, state) {
    assertCanClose(state, businessDate);
    if (state.lastClosedOn === businessDate) return [];
    return [{ type: 'BusinessDayClosed', data: { businessDate, previousBusinessDate: state.lastClosedOn ?? null, ...summary, lendingPolicy } }];
  },
};
