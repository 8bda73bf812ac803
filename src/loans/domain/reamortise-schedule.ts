import type { MinorUnits } from '../../kernel/money/amount.js';
import type { AnnualRate, RoundingMode } from '../../kernel/money/rate.js';
import type { PrepaymentOption } from './prepayment-option.js';
import { type InstalmentSplit, monthlyInterest, splitsFor } from './repayment-schedule.js';
import type { RepaymentMethod } from './repayment-method.js';

/** What the instalments not yet begun are re-amortised with after a prepayment. */
export interface ReamortisationTerms {
  readonly annualInterestRate: AnnualRate;
  readonly repaymentMethod: RepaymentMethod;
  readonly rounding: RoundingMode;
  readonly option: PrepaymentOption;
}

/**
 * The principal and interest each later instalment owes once a prepayment left `balance`
 * of principal to repay over them (Civil Code art. 677: interest only for the time the
 * money is still borrowed). Same due dates; `before` is what each owed before the payment.
 *
 * - `reduce-instalment` keeps the term in force: the method's schedule for the balance over
 *   the instalments that still owed something (so an interest-only loan owes interest on
 *   what remains; instalments an earlier shorten-term prepayment emptied stay empty).
 * - `shorten-term` keeps the instalment: equal-principal keeps each instalment's principal,
 *   equal-installment keeps the level payment, filled from the first until the balance is
 *   repaid; the instalments after that owe nothing. Interest-only has no instalment to
 *   keep and is re-amortised as for `reduce-instalment`.
 */
export function reamortisedSplits(balance: MinorUnits, before: readonly InstalmentSplit[], terms: ReamortisationTerms): InstalmentSplit[] {
  const n = before.length;
  // The term kept is the one in force: instalments an earlier shorten-term prepayment left owing nothing stay gone.
  const inForce = before.findLastIndex((b) => b.principal + b.interest > 0) + 1;
  const nothing = (count: number) => Array.from({ length: count }, () => ({ principal: 0, interest: 0 }));
  const sameTerm = () => [...splitsFor({ ...terms, principal: balance, termMonths: Math.max(1, inForce) }), ...nothing(n - Math.max(1, inForce))];
  if (n === 0) return [];
  if (balance === 0) return nothing(n);
  if (terms.option === 'reduce-instalment' || terms.repaymentMethod === 'interest-only') return sameTerm();
  if (terms.repaymentMethod === 'equal-principal') return filledInOrder(balance, before.map((b) => b.principal), terms);
  const level = before[0]!.principal + before[0]!.interest;
  // A level payment that no longer covers a period's interest (only where a schedule was
  // already cut to a few minor units) cannot shorten anything: keep the term instead.
  if (level <= monthlyInterest(balance, terms)) return sameTerm();
  return filledInOrder(balance, before.map(() => undefined), terms, level);
}

/**
 * Each instalment repays its kept principal (or the level payment less its interest), never
 * more than what is left; interest is on the balance at the start of each period; the last
 * instalment takes whatever remains so the principals add up to the balance exactly.
 */
function filledInOrder(
  balance: MinorUnits,
  keptPrincipal: readonly (MinorUnits | undefined)[],
  terms: ReamortisationTerms,
  level?: MinorUnits,
): InstalmentSplit[] {
  let left = balance;
  return keptPrincipal.map((kept, index) => {
    const interest = monthlyInterest(left, terms);
    const wanted = index === keptPrincipal.length - 1 ? left : (kept ?? Math.max(0, level! - interest));
    const principal = Math.min(left, wanted);
    left -= principal;
    return { principal, interest };
  });
}
