import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import { dueOrCurrentCount } from './allocate-payment.js';
import { type InstalmentState, instalmentOutstanding, principalOutstanding } from './loan-state.js';

/**
 * The amount that settles the loan if paid on `on`: everything due and the current
 * instalment in full, plus the principal of the later instalments (their interest is not
 * yet earned and is cancelled when their principal is prepaid). Paying exactly this
 * leaves nothing outstanding and no overpayment.
 */
export function payoffAmount(instalments: readonly InstalmentState[], on: BusinessDate): MinorUnits {
  const settled = dueOrCurrentCount(instalments, on);
  return instalments.reduce(
    (sum, instalment, index) => sum + (index < settled ? instalmentOutstanding(instalment) : principalOutstanding(instalment)),
    0,
  );
}
