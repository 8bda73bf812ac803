import { addMonths, type BusinessDate } from '../../kernel/dates/business-date.js';
import type { MinorUnits } from '../../kernel/money/amount.js';
import { Dec, toMinorUnits, type AnnualRate, type RoundingMode } from '../../kernel/money/rate.js';
import type { RepaymentMethod } from './repayment-method.js';
import type { ScheduledInstalment } from './scheduled-instalment.js';

/** What the amounts of a schedule depend on: a balance lent over a number of monthly periods. */
export interface AmortisationTerms {
  readonly principal: MinorUnits;
  readonly annualInterestRate: AnnualRate;
  readonly termMonths: number;
  readonly repaymentMethod: RepaymentMethod;
  readonly rounding: RoundingMode;
}

/** What a repayment schedule is generated from at disbursement (DESIGN.md §2). */
export interface ScheduleTerms extends AmortisationTerms {
  readonly disbursedOn: BusinessDate;
}

/** How much of one instalment repays principal and how much pays interest. */
export interface InstalmentSplit {
  readonly principal: MinorUnits;
  readonly interest: MinorUnits;
}

// 30/360: every month is a twelfth of the year, whatever its calendar length.
const MONTHS_PER_YEAR = 12;

/**
 * The instalments of a loan, due monthly from one month after disbursement. Pure: the same
 * terms always give the same schedule, which is recorded in the disbursement event.
 */
export function generateSchedule(terms: ScheduleTerms): ScheduledInstalment[] {
  assertSchedulable(terms);
  return splitsFor(terms).map((split, index) => ({
    number: index + 1,
    dueOn: dueDate(terms.disbursedOn, index + 1),
    principal: split.principal,
    interest: split.interest,
  }));
}

// Counting from the disbursement date every time (rather than from the previous due date)
// keeps the day of month: 31 Jan → 28 Feb → 31 Mar, not → 28 Mar.
function dueDate(disbursedOn: BusinessDate, instalmentNumber: number): BusinessDate {
  return addMonths(disbursedOn, instalmentNumber);
}

// The API validates terms before they get here; this only stops a programming error from
// producing a schedule that silently loses money.
function assertSchedulable(terms: ScheduleTerms): void {
  if (!Number.isSafeInteger(terms.principal) || terms.principal < 0) {
    throw new RangeError(`Principal must be a non-negative integer of minor units, got ${terms.principal}`);
  }
  if (!Number.isSafeInteger(terms.termMonths) || terms.termMonths < 1) {
    throw new RangeError(`Term must be a positive whole number of months, got ${terms.termMonths}`);
  }
  if (new Dec(terms.annualInterestRate).isNegative()) {
    throw new RangeError(`Annual interest rate must not be negative, got ${terms.annualInterestRate}`);
  }
}

/** The principal and interest of each instalment, in order, for a balance lent over `termMonths`. */
export function splitsFor(terms: AmortisationTerms): InstalmentSplit[] {
  switch (terms.repaymentMethod) {
    case 'equal-installment':
      return equalInstalmentSplits(terms);
    case 'equal-principal':
      return equalPrincipalSplits(terms);
    case 'interest-only':
      return interestOnlySplits(terms);
  }
}

// Multiplying by the annual rate before dividing by 12 keeps the product exact up to that
// one division, so a true tie (x.5) or a whole number is not nudged by a rounded monthly
// rate (0.1/12 = 0.008333…) to the wrong side of the rounding.
export function monthlyInterest(balance: MinorUnits, terms: Pick<AmortisationTerms, 'annualInterestRate' | 'rounding'>): MinorUnits {
  return toMinorUnits(new Dec(balance).times(terms.annualInterestRate).div(MONTHS_PER_YEAR), terms.rounding);
}

/** 等额本金: the same principal each month, interest on what is still owed. */
function equalPrincipalSplits(terms: AmortisationTerms): InstalmentSplit[] {
  const regular = regularPrincipal(terms);
  const splits: InstalmentSplit[] = [];
  let balance = terms.principal;
  for (let number = 1; number <= terms.termMonths; number++) {
    const principal = number < terms.termMonths ? regular : balance;
    splits.push({ principal, interest: monthlyInterest(balance, terms) });
    balance -= principal;
  }
  return splits;
}

// round(P/n), unless rounding up would leave the last instalment a negative remainder
// (tiny principal over a long term, e.g. 1 fen over 3 months rounded up). Then the regular
// principal is P/n rounded down instead: the first n−1 instalments stay equal and the last,
// which takes the remainder, is never below them, so no principal is ever negative.
function regularPrincipal(terms: AmortisationTerms): MinorUnits {
  const share = new Dec(terms.principal).div(terms.termMonths);
  const rounded = toMinorUnits(share, terms.rounding);
  if (rounded * (terms.termMonths - 1) <= terms.principal) return rounded;
  return toMinorUnits(share, 'down');
}

/** 先息后本: interest every month on the full principal, all of it repaid with the last. */
function interestOnlySplits(terms: AmortisationTerms): InstalmentSplit[] {
  const interest = monthlyInterest(terms.principal, terms);
  return Array.from({ length: terms.termMonths }, (_, index) => ({
    principal: index === terms.termMonths - 1 ? terms.principal : 0,
    interest,
  }));
}

/** 等额本息 (French annuity): the same payment each month; the last settles what remains. */
function equalInstalmentSplits(terms: AmortisationTerms): InstalmentSplit[] {
  // Without interest a level payment is just an equal share of the principal.
  if (new Dec(terms.annualInterestRate).isZero()) return equalPrincipalSplits(terms);
  // When the rounded payment would repay the whole balance before the last instalment
  // (only for tiny principals, where one minor unit is a large part of the payment), it is
  // lowered one minor unit at a time until it fits. This always ends: a payment equal to
  // the first month's interest repays nothing early and fits. Lowering, not clamping,
  // keeps every instalment but the last at the same payment.
  for (let payment = annuityPayment(terms); ; payment--) {
    const splits = levelPaymentSplits(terms, payment);
    if (splits) return splits;
  }
}

// P·r/(1−(1+r)^−n) with r = a/12, written as P·a·(12+a)^n / (12·((12+a)^n − 12^n)) so that
// the inexact a/12 never enters the powers; for short terms this makes the result exact.
function annuityPayment(terms: AmortisationTerms): MinorUnits {
  const annual = new Dec(terms.annualInterestRate);
  const grown = annual.plus(MONTHS_PER_YEAR).pow(terms.termMonths);
  const base = new Dec(MONTHS_PER_YEAR).pow(terms.termMonths);
  const payment = annual.times(terms.principal).times(grown).div(grown.minus(base).times(MONTHS_PER_YEAR));
  return toMinorUnits(payment, terms.rounding);
}

/** The instalments for a level payment, or undefined when it repays too much too early. */
function levelPaymentSplits(terms: AmortisationTerms, payment: MinorUnits): InstalmentSplit[] | undefined {
  const splits: InstalmentSplit[] = [];
  let balance = terms.principal;
  for (let number = 1; number < terms.termMonths; number++) {
    const interest = monthlyInterest(balance, terms);
    // Rounding is monotone, so interest never exceeds the payment (the annuity exceeds the
    // first month's interest and balances only fall); the floor at zero is a safety net.
    const principal = Math.max(0, payment - interest);
    if (principal > balance) return undefined;
    splits.push({ principal, interest });
    balance -= principal;
  }
  splits.push({ principal: balance, interest: monthlyInterest(balance, terms) });
  return splits;
}
