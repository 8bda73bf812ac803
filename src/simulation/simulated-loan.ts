import { addDays, type BusinessDate } from '../kernel/dates/business-date.js';
import type { LoanPlan } from './portfolio-plan.js';

/** What the simulator tracks of a loan between days: its instalments and where its story stands. */
export interface SimulatedLoan {
  readonly plan: LoanPlan;
  instalments: { readonly number: number; readonly dueOn: BusinessDate; readonly amount: string }[];
  /** Due date of the first instalment the borrower missed; set once trouble starts. */
  troubleSince?: BusinessDate;
  /** Trouble has ended: cured, restructured or written off. */
  settled: boolean;
  paidOff: boolean;
  writtenOffOn?: BusinessDate;
  payments: number;
}

/** Days after the first missed due date when the lender acts on a troubled loan. */
export const CURE_AFTER_DAYS = 50;
export const RESTRUCTURE_AFTER_DAYS = 45;
/** Simulated lenders write off at 95 days past due, after three missed instalments. */
export const WRITE_OFF_AFTER_DAYS = 95;
export const RECOVERY_AFTER_WRITE_OFF_DAYS = 30;

/** The day the lender (or borrower) resolves the loan's trouble, by behaviour. */
export function resolutionDay(loan: SimulatedLoan): BusinessDate | undefined {
  if (!loan.troubleSince) return undefined;
  switch (loan.plan.behaviour) {
    case 'cured':
      return addDays(loan.troubleSince, CURE_AFTER_DAYS);
    case 'restructured':
      return addDays(loan.troubleSince, RESTRUCTURE_AFTER_DAYS);
    case 'written-off':
      return addDays(loan.troubleSince, WRITE_OFF_AFTER_DAYS);
    default:
      return undefined;
  }
}
