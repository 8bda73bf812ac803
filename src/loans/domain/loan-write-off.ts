import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { LoanEvent, LoanWrittenOffData } from './loan-events.js';
import { type LoanState, interestOutstanding, penaltyOutstanding, principalOutstanding } from './loan-state.js';

/** The write-off event for the loan as it stands (penalty already accrued through the date). */
export function writeOff(
  state: LoanState,
  decision: { writeOffId: string; writtenOffOn: BusinessDate; reason: string; automatic: boolean },
): LoanEvent {
  const sum = (amountOf: (i: LoanState['instalments'][number]) => number, dueBy?: BusinessDate) =>
    state.instalments.filter((i) => !dueBy || i.dueOn <= dueBy).reduce((total, i) => total + amountOf(i), 0);
  const data: LoanWrittenOffData = {
    ...decision,
    principal: sum(principalOutstanding),
    interest: sum(interestOutstanding, decision.writtenOffOn),
    penalty: sum(penaltyOutstanding),
  };
  return { type: 'LoanWrittenOff', data };
}
