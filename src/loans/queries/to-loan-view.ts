import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { type MinorUnits, formatAmount } from '../../kernel/money/amount.js';
import type { LoanOriginatedData } from '../domain/loan-events.js';
import {
  type InstalmentState,
  type LoanState,
  interestOutstanding,
  penaltyOutstanding,
  principalOutstanding,
} from '../domain/loan-state.js';
import { payoffAmount } from '../domain/payoff-quote.js';
import type { BalancesDto, InstalmentViewDto, LoanViewDto, OutstandingDto, PaymentViewDto } from './loan-view.dto.js';
import { loanStandingOn } from '../domain/days-past-due.js';

/**
 * The loan as a servicer reads it: every amount as a decimal string in the loan's currency;
 * the balances are what is owed on `balancesOn` (the standing rules of loan-standing.ts).
 */
/** How many of a loan's payments its view lists, the most recent ones: a loan paid in thousands of pieces is paged (paymentsOf). */
export const PAYMENTS_IN_VIEW = 100;

export function toLoanView(
  state: LoanState & { terms: LoanOriginatedData },
  balancesOn: BusinessDate,
  payoffOn?: BusinessDate,
  paymentsLimit: number = PAYMENTS_IN_VIEW,
): LoanViewDto {
  const { terms } = state;
  const money = (minor: MinorUnits) => formatAmount(minor, terms.currency);
  const outstandingOf = (instalments: readonly InstalmentState[]): OutstandingDto => {
    const principal = instalments.reduce((s, i) => s + principalOutstanding(i), 0);
    const interest = instalments.reduce((s, i) => s + interestOutstanding(i), 0);
    const penalty = instalments.reduce((s, i) => s + penaltyOutstanding(i), 0);
    return { principal: money(principal), interest: money(interest), penalty: money(penalty), total: money(principal + interest + penalty) };
  };
  const schedule = state.instalments.map((i): InstalmentViewDto => {
    const outstanding = outstandingOf([i]);
    const paidAnything = i.principalPaid + i.interestPaid + i.penaltyPaid > 0;
    return {
      number: i.number,
      dueOn: i.dueOn,
      status: statusOf(i, outstanding.total === money(0), paidAnything),
      // As the schedule stands now: a prepayment's re-amortisation moved principal between instalments and cancelled interest.
      due: { principal: money(i.principalDue - i.principalRescheduled), interest: money(i.interestDue - i.interestCancelled), penalty: money(i.penaltyDue) },
      paid: { principal: money(i.principalPaid), interest: money(i.interestPaid), penalty: money(i.penaltyPaid) },
      interestCancelled: money(i.interestCancelled),
      outstanding,
    };
  });
  return {
    loanId: terms.loanId,
    borrowerId: terms.borrowerId,
    borrowerTimeZone: terms.borrowerTimeZone,
    currency: terms.currency,
    status: state.status!,
    terms: {
      principal: money(terms.principal),
      annualInterestRate: terms.annualInterestRate,
      termMonths: terms.termMonths,
      repaymentMethod: terms.repaymentMethod,
      originatedOn: terms.originatedOn,
      gracePeriodDays: terms.gracePeriodDays,
      penaltyAnnualRate: terms.penaltyAnnualRate,
      penaltyRateSource: terms.penaltyRateSource,
      policy: terms.policy.name,
      costCapAnnualRate: terms.policy.costCapAnnualRate,
    },
    creditAssessment: terms.creditAssessment,
    riskDisclosure: terms.riskDisclosure,
    disbursedOn: state.disbursedOn ?? null,
    paidOffOn: state.paidOffOn ?? null,
    schedule,
    balances: balancesOf(state, balancesOn, money),
    payments: paymentsOf(state, Math.max(0, state.payments.size - paymentsLimit), paymentsLimit),
    paymentsTotal: state.payments.size,
    refunds: state.refunds.map((r) => ({ refundId: r.refundId, amount: money(r.amount), refundedOn: r.refundedOn })),
    ...(payoffOn && { payoff: { on: payoffOn, amount: money(payoffAmount(state, payoffOn)) } }),
  };
}

/** The loan's payments in the order recorded, `limit` of them from `offset`. */
export function paymentsOf(state: LoanState & { terms: LoanOriginatedData }, offset: number, limit: number): PaymentViewDto[] {
  const page: PaymentViewDto[] = [];
  let index = 0;
  for (const p of state.payments.values()) {
    if (index >= offset + limit) break;
    if (index++ < offset) continue;
    page.push({ paymentId: p.paymentId, amount: formatAmount(p.amount, state.terms.currency), receivedOn: p.receivedOn, reversed: p.reversed });
  }
  return page;
}

function balancesOf(state: LoanState, on: BusinessDate, money: (minor: MinorUnits) => string): BalancesDto {
  const standing = loanStandingOn(state, on);
  const { principal, interest, penalty } = standing.fallenDue;
  return {
    on,
    fallenDue: { principal: money(principal), interest: money(interest), penalty: money(penalty), total: money(principal + interest + penalty) },
    principalOutstanding: money(standing.principalOutstanding),
    futureInterestScheduled: money(standing.futureInterest),
    overpaymentHeld: money(state.overpaymentHeld),
    payoffAmount: money(payoffAmount(state, on)),
  };
}

/** An instalment a restructuring took everything unpaid from reads `restructured`, not `paid`. */
function statusOf(i: InstalmentState, settled: boolean, paidAnything: boolean): InstalmentViewDto['status'] {
  if (!settled) return paidAnything ? 'partially-paid' : 'unpaid';
  const moved = i.principalRestructured + i.interestRestructured + i.penaltyRestructured > 0;
  return moved ? 'restructured' : 'paid';
}
