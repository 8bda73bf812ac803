import { type BusinessDate, addMonths } from '../../kernel/dates/business-date.js';
import { type InstalmentState, type LoanState, interestOutstanding, principalOutstanding } from './loan-state.js';

const OBSERVATION_MONTHS = 12;
const OBSERVATION_PAYMENT_PERIODS = 2;

/**
 * When a restructured loan's observation period ends, as known on `on`, under the 2023
 * classification rules for restructured assets (《商业银行金融资产风险分类办法》, the articles
 * on restructured assets): the period starts at the first payment date under the new
 * terms, covers at least two consecutive payment periods and at least one year, and every
 * instalment falling due in it must be paid in full and on time. One that is not restarts
 * the period from the next payment date after it. So the period ends on the later of the
 * second due date counted from its (re)start and one year after that start, once every
 * instalment due by then was paid on time; undefined while that has not happened by `on`.
 */
export function restructuringObservationEndsOn(state: LoanState, on: BusinessDate): BusinessDate | undefined {
  const restructuring = state.restructuring;
  if (!restructuring || restructuring.observationEndedOn) return undefined;
  const schedule = state.instalments.filter((i) => i.number >= restructuring.firstInstalment);
  let start = 0;
  while (start + OBSERVATION_PAYMENT_PERIODS - 1 < schedule.length) {
    const startsOn = schedule[start]!.dueOn;
    const periodsCovered = schedule[start + OBSERVATION_PAYMENT_PERIODS - 1]!.dueOn;
    const yearAfter = addMonths(startsOn, OBSERVATION_MONTHS);
    const endsOn = periodsCovered > yearAfter ? periodsCovered : yearAfter;
    const missed = schedule.findIndex((i, k) => k >= start && i.dueOn <= endsOn && i.dueOn <= on && !paidInFullOnTime(state, i));
    if (missed === -1) return endsOn <= on ? endsOn : undefined;
    start = missed + 1;
  }
  // Fewer than two payment periods left after the last restart: the period cannot end before the loan does.
  return undefined;
}

/** Principal and interest fully paid, by payments received no later than the due date. */
function paidInFullOnTime(state: LoanState, instalment: InstalmentState): boolean {
  if (principalOutstanding(instalment) + interestOutstanding(instalment) > 0) return false;
  for (const payment of state.payments.values()) {
    if (payment.reversed || payment.receivedOn <= instalment.dueOn) continue;
    const { instalments, prepaid } = payment.allocation;
    const paidLate = instalments.some((a) => a.number === instalment.number && a.principal + a.interest > 0);
    if (paidLate || prepaid.some((p) => p.number === instalment.number)) return false;
  }
  return true;
}
