import { type BusinessDate, addDays } from '../../kernel/dates/business-date.js';
import type { LoanState } from './loan-state.js';

/** The days past due whose reaching is recorded once per delinquency episode. */
export const DELINQUENCY_THRESHOLDS = [30, 60, 90] as const;
export type DelinquencyThreshold = (typeof DELINQUENCY_THRESHOLDS)[number];

/**
 * The day an episode reached `threshold` days past due, counted from its oldest unpaid due
 * date — but never before those days showed in the loan's effective history: a reversal
 * that makes older instalments unpaid again adds its days on its own date (the loan as of
 * any earlier date counted fewer). A reversal first closes through the day before, so any
 * threshold the fewer days had reached is recorded by then.
 */
export function thresholdReachedOn(state: Pick<LoanState, 'delinquentFrom'>, oldestUnpaidDueOn: BusinessDate, threshold: number): BusinessDate {
  const bySchedule = addDays(oldestUnpaidDueOn, threshold);
  return state.delinquentFrom !== undefined && state.delinquentFrom > bySchedule ? state.delinquentFrom : bySchedule;
}
