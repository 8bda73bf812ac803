import type { MinorUnits } from '../../kernel/money/amount.js';
import type { PrepaymentOption } from './prepayment-option.js';

/** What one payment paid on one instalment, in the order penalty → interest → principal. */
export interface InstalmentAllocation {
  readonly number: number;
  readonly penalty: MinorUnits;
  readonly interest: MinorUnits;
  readonly principal: MinorUnits;
}

/**
 * Principal paid ahead of time on a later instalment (from the last one backwards). When
 * an instalment's principal is fully prepaid, its scheduled interest is cancelled: no
 * money is lent for that period any more.
 */
export interface PrepaidPrincipal {
  readonly number: number;
  readonly principal: MinorUnits;
  readonly interestCancelled: MinorUnits;
}

/**
 * How much a prepayment lowered what a later instalment owes when the rest of the schedule
 * was re-amortised on the reduced balance (negative where it raised it: under
 * `shorten-term` a level payment repays more principal early once less interest is due).
 */
export interface RescheduledInstalment {
  readonly number: number;
  readonly principal: MinorUnits;
  readonly interest: MinorUnits;
}

/** The schedule a prepayment left, recorded as what it changed on each later instalment. */
export interface Reamortisation {
  readonly option: PrepaymentOption;
  readonly instalments: readonly RescheduledInstalment[];
}

/**
 * How a payment was applied, decided once and recorded in the event. Money is conserved:
 * the sum of every instalment component, the prepaid principal and the overpayment is the
 * payment's amount.
 */
export interface PaymentAllocation {
  readonly instalments: readonly InstalmentAllocation[];
  readonly prepaid: readonly PrepaidPrincipal[];
  /** Paid beyond everything the loan could take: held as a credit to refund. */
  readonly overpayment: MinorUnits;
  /** Present when principal was prepaid (payments recorded before re-amortisation have none). */
  readonly reamortised?: Reamortisation;
}

export function allocatedTotal(allocation: PaymentAllocation): MinorUnits {
  const toInstalments = allocation.instalments.reduce((sum, a) => sum + a.penalty + a.interest + a.principal, 0);
  const prepaid = allocation.prepaid.reduce((sum, p) => sum + p.principal, 0);
  return toInstalments + prepaid + allocation.overpayment;
}
