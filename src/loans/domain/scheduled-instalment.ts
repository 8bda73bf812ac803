import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';

/** One line of a repayment schedule as generated at disbursement and recorded in the event. */
export interface ScheduledInstalment {
  /** 1-based. */
  readonly number: number;
  readonly dueOn: BusinessDate;
  readonly principal: MinorUnits;
  readonly interest: MinorUnits;
}
