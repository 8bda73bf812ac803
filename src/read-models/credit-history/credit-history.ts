import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { BureauIdentity } from './bureau-identity.js';
import { type YearMonth, addMonthsTo, lastDayOf, monthOf } from '../../kernel/dates/year-month.js';
import { type MinorUnits, formatAmount } from '../../kernel/money/amount.js';
import { compareText } from '../../kernel/text/compare-text.js';
import type { ReportBasis } from '../report-basis/report-basis.js';
import type { LoanEvent } from '../../loans/domain/loan-events.js';
import { evolveLoan, initialLoanState } from '../../loans/domain/loan-state.js';
import { metro2AccountStatus, metro2PaymentHistoryCode, pbocRepaymentCode } from '../../loans/domain/standing/credit-bureau-codes.js';
import { effectiveDateOf } from '../../loans/domain/loan-event-effective-date.js';
import { loanStateAsOf } from '../../loans/domain/loan-as-of.js';
import { loanStandingOn as standingOn } from '../../loans/domain/days-past-due.js';

export const CREDIT_HISTORY_MONTHS = 24;

/** One loan's line in a borrower's credit history, as of the end of a month. */
export interface CreditHistoryLine {
  readonly loanId: string;
  readonly openedOn: BusinessDate;
  readonly principal: MinorUnits;
  readonly currency: string;
  readonly balance: MinorUnits;
  readonly highestDaysPastDue: number;
  /** Delinquency episodes that reached 30, 60 and 90 days past due. */
  readonly episodes: { readonly dpd30: number; readonly dpd60: number; readonly dpd90: number };
  readonly closedOn: BusinessDate | undefined;
  readonly writtenOffOn: BusinessDate | undefined;
  /** PBOC 24-month repayment status, oldest month first, ending with the as-of month. */
  readonly pbocRepaymentString: string;
  readonly metro2AccountStatus: string;
  /** Metro 2 payment history profile: the 24 months before the as-of month, most recent first. */
  readonly metro2PaymentHistoryProfile: string;
}

/**
 * A loan's credit history line from its events (those recorded when the month was
 * closed), each month judged at its end by what had taken effect by then; undefined when
 * the loan had not been disbursed by the end of the as-of month.
 */
export function creditHistoryLine(history: readonly LoanEvent[], asOf: YearMonth): CreditHistoryLine | undefined {
  const monthEnd = lastDayOf(asOf);
  const state = loanStateAsOf(history, monthEnd);
  const standing = standingOn(state, monthEnd);
  if (standing.account === 'not-open' || !state.terms) return undefined;

  const pboc: string[] = [];
  for (let back = CREDIT_HISTORY_MONTHS - 1; back >= 0; back--) {
    const month = addMonthsTo(asOf, -back);
    const end = lastDayOf(month);
    const then = loanStateAsOf(history, end);
    const fellDue = then.instalments.some((i) => monthOf(i.dueOn) === month);
    pboc.push(pbocRepaymentCode(standingOn(then, end), fellDue));
  }
  const profile: string[] = [];
  for (let back = 1; back <= CREDIT_HISTORY_MONTHS; back++) {
    const end = lastDayOf(addMonthsTo(asOf, -back));
    profile.push(metro2PaymentHistoryCode(standingOn(loanStateAsOf(history, end), end)));
  }
  // An episode a payment recorded later showed never happened is withdrawn, and does not count.
  const episodes = (threshold: number) =>
    history.reduce((count, event) => {
      if (event.type !== 'DelinquencyThresholdReached' && event.type !== 'DelinquencyThresholdWithdrawn') return count;
      if (event.data.threshold !== threshold || event.data.reachedOn > monthEnd) return count;
      return count + (event.type === 'DelinquencyThresholdReached' ? 1 : -1);
    }, 0);
  return {
    loanId: state.terms.loanId,
    openedOn: state.disbursedOn!,
    principal: state.terms.principal,
    currency: state.terms.currency,
    balance: standing.balance,
    highestDaysPastDue: highestDaysPastDue(history, monthEnd),
    episodes: { dpd30: episodes(30), dpd60: episodes(60), dpd90: episodes(90) },
    closedOn: standing.account === 'paid-off' ? state.paidOffOn : undefined,
    writtenOffOn: state.writtenOff?.writtenOffOn,
    pbocRepaymentString: pboc.join(''),
    metro2AccountStatus: metro2AccountStatus(standing),
    metro2PaymentHistoryProfile: profile.join(''),
  };
}

/**
 * Days past due only grow between events, so the highest is reached just before an event
 * that took effect (a payment, a restructuring) or on the last day looked at. The events
 * are walked in the order they took effect, not the order they were recorded: a payment
 * recorded after the closes that followed it erases the days it made not past due.
 */
function highestDaysPastDue(history: readonly LoanEvent[], through: BusinessDate): number {
  const inEffect = history
    .map((event, recorded) => ({ event, recorded, on: effectiveDateOf(event) }))
    .filter((e) => e.on <= through)
    .sort((a, b) => compareText(a.on, b.on) || a.recorded - b.recorded);
  let state = initialLoanState();
  let highest = 0;
  for (const { event, on } of inEffect) {
    highest = Math.max(highest, standingOn(state, on).daysPastDue);
    state = evolveLoan(state, event);
  }
  return Math.max(highest, standingOn(state, through).daysPastDue);
}

/** A borrower's credit history as a bureau receives it: amounts as decimal strings, nothing personal beyond the ids. */
export interface CreditHistory {
  readonly borrowerId: string;
  /** Name and identity document for the bureau's matching, when the lender gave them. */
  readonly borrower: BureauIdentity | null;
  readonly asOf: YearMonth;
  readonly basis: ReportBasis;
  readonly loans: readonly CreditHistoryLoan[];
}

export type CreditHistoryLoan = Omit<CreditHistoryLine, 'principal' | 'balance' | 'closedOn' | 'writtenOffOn'> & {
  readonly principal: string;
  readonly balance: string;
  readonly closedOn: string | null;
  readonly writtenOffOn: string | null;
};

/** The lines as a bureau file carries them: oldest account first, amounts as decimal strings, null for absent dates. */
export function creditHistoryOf(
  borrowerId: string,
  borrower: BureauIdentity | null,
  asOf: YearMonth,
  basis: ReportBasis,
  lines: readonly CreditHistoryLine[],
): CreditHistory {
  const ordered = [...lines].sort((a, b) => compareText(a.openedOn, b.openedOn) || compareText(a.loanId, b.loanId));
  return {
    borrowerId,
    borrower,
    asOf,
    basis,
    loans: ordered.map((line) => ({
      ...line,
      principal: formatAmount(line.principal, line.currency),
      balance: formatAmount(line.balance, line.currency),
      closedOn: line.closedOn ?? null,
      writtenOffOn: line.writtenOffOn ?? null,
    })),
  };
}
