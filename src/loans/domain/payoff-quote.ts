import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import { dueOrCurrentCount, settlingAmount } from './allocate-payment.js';
import { currentPeriodOf, scheduleInForce } from './current-period-interest.js';
import { closeThroughDayBefore } from './decide-close-of-business.js';
import { type LoanState, evolveLoan, instalmentsInForce } from './loan-state.js';

/**
 * The amount that settles the loan if paid on `on`: what close of business would have
 * recorded through the day before (penalty included), everything fallen due, the current
 * instalment's principal and its interest for the days elapsed of its period (Civil Code
 * art. 677: round(I × d/P), with any interest a restructuring carried onto it, less what was
 * already paid), plus the principal of the later instalments (re-amortised on a zero
 * balance, they owe no interest). Paying exactly this on `on` leaves nothing outstanding and
 * no overpayment; a paid-off loan's quote is zero.
 */
export function payoffAmount(state: LoanState, on: BusinessDate): MinorUnits {
  if (state.status === 'paid-off') return 0;
  const onTheDay = closeThroughDayBefore(state, on).reduce(evolveLoan, state);
  const instalments = instalmentsInForce(onTheDay);
  const settled = dueOrCurrentCount(instalments, on);
  const current = onTheDay.status === 'active' ? currentPeriodOf(instalments, settled, on, scheduleInForce(onTheDay)) : undefined;
  return settlingAmount(instalments, settled, current, onTheDay.terms!.policy.rounding);
}
