import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import { dueOrCurrentCount } from './allocate-payment.js';
import { closeThroughDayBefore } from './decide-close-of-business.js';
import { type LoanState, evolveLoan, instalmentOutstanding, instalmentsInForce, principalOutstanding } from './loan-state.js';

/**
 * The amount that settles the loan if paid on `on`: what close of business would have
 * recorded through the day before (penalty included), everything due and the current
 * instalment in full, plus the principal of the later instalments (re-amortised on a zero
 * balance, they owe no interest). Paying exactly this on `on` leaves nothing outstanding
 * and no overpayment; a paid-off loan's quote is zero.
 */
export function payoffAmount(state: LoanState, on: BusinessDate): MinorUnits {
  if (state.status === 'paid-off') return 0;
  const onTheDay = closeThroughDayBefore(state, on).reduce(evolveLoan, state);
  const instalments = instalmentsInForce(onTheDay);
  const settled = dueOrCurrentCount(instalments, on);
  return instalments.reduce(
    (sum, instalment, index) => sum + (index < settled ? instalmentOutstanding(instalment) : principalOutstanding(instalment)),
    0,
  );
}
