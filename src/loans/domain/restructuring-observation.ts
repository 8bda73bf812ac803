import { type BusinessDate, addMonths } from '../../kernel/dates/business-date.js';
import { type InstalmentState, type LoanState, interestOutstanding, principalOutstanding } from './loan-state.js';

const OBSERVATION_MONTHS_AFTER_FIRST_INSTALMENT = 12;

/**
 * When a restructured loan's observation period ends (《商业银行金融资产风险分类办法》 art. 23):
 * the later of the due date of the second of two consecutive instalments paid on time
 * under the new schedule, and one year after its first instalment fell due. Undefined
 * while no two consecutive instalments have been paid on time, or when there is no
 * restructuring under observation.
 */
export function restructuringObservationEndsOn(state: LoanState): BusinessDate | undefined {
  const restructuring = state.restructuring;
  if (!restructuring || restructuring.observationEndedOn) return undefined;
  const schedule = state.instalments.filter((i) => i.number >= restructuring.firstInstalment);
  const yearAfterFirst = addMonths(schedule[0]!.dueOn, OBSERVATION_MONTHS_AFTER_FIRST_INSTALMENT);
  for (let k = 1; k < schedule.length; k++) {
    if (paidOnTime(state, schedule[k - 1]!) && paidOnTime(state, schedule[k]!)) {
      const secondOnTime = schedule[k]!.dueOn;
      return secondOnTime > yearAfterFirst ? secondOnTime : yearAfterFirst;
    }
  }
  return undefined;
}

/** Principal and interest fully paid, by payments received no later than the due date. */
function paidOnTime(state: LoanState, instalment: InstalmentState): boolean {
  if (principalOutstanding(instalment) + interestOutstanding(instalment) > 0) return false;
  for (const payment of state.payments.values()) {
    if (payment.reversed || payment.receivedOn <= instalment.dueOn) continue;
    const { instalments, prepaid } = payment.allocation;
    const paidLate = instalments.some((a) => a.number === instalment.number && a.principal + a.interest > 0);
    if (paidLate || prepaid.some((p) => p.number === instalment.number)) return false;
  }
  return true;
}
