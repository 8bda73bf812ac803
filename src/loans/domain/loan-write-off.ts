import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import type { LoanEvent, LoanWrittenOffData } from './loan-events.js';
import { type InstalmentState, type LoanState, interestOutstanding, penaltyOutstanding, principalOutstanding } from './loan-state.js';

/**
 * The write-off event for the loan as it stands (penalty already accrued through the date).
 * Written off: all principal, the interest fallen due — including overdue interest a
 * restructuring kept due with its first new instalment — and the penalty. The interest of
 * instalments not yet due is not owed: the event records what it cancels on each.
 */
export function writeOff(
  state: LoanState,
  decision: { writeOffId: string; writtenOffOn: BusinessDate; reason: string; automatic: boolean },
): LoanEvent {
  const notYetDue = state.instalments.filter((i) => i.dueOn > decision.writtenOffOn);
  const cancelled = notYetDue
    .map((i) => ({ number: i.number, amount: interestOutstanding(i) - keptDueInterestUnpaid(state, i) }))
    .filter((c) => c.amount > 0);
  const sum = (amounts: readonly MinorUnits[]) => amounts.reduce((total, amount) => total + amount, 0);
  const data: LoanWrittenOffData = {
    ...decision,
    principal: sum(state.instalments.map(principalOutstanding)),
    interest: sum(state.instalments.map(interestOutstanding)) - sum(cancelled.map((c) => c.amount)),
    penalty: sum(state.instalments.map(penaltyOutstanding)),
    interestNotYetDue: cancelled,
  };
  return { type: 'LoanWrittenOff', data };
}

/** Overdue interest a non-capitalised restructuring kept due with this instalment and still unpaid (it is paid before the instalment's own). */
function keptDueInterestUnpaid(state: LoanState, instalment: InstalmentState): MinorUnits {
  const restructuring = state.restructuring;
  if (!restructuring || restructuring.firstInstalment !== instalment.number) return 0;
  return Math.min(interestOutstanding(instalment), Math.max(0, restructuring.keptDueInterest - instalment.interestPaid));
}
