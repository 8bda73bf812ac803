import type { BusinessDayClosedData } from '../close-of-business/domain/business-day.js';
import type { BusinessDate } from '../kernel/dates/business-date.js';
import type { StoredEvent } from '../kernel/event-store/event-store.port.js';
import type { LoanOriginatedData } from '../loans/domain/loan-events.js';
import { type LoanStanding, ratioNumeratorsOf, standingFrom } from '../loans/domain/standing/loan-standing.js';
import { type OverdueLoan, foldOverdueLoan, overdueLoanIdOf, standingFactsOfRow } from '../read-models/overdue-status/overdue-status.fold.js';
import { ratio } from '../kernel/money/ratio.js';

/** The portfolio of one currency as a close of business left it. */
export interface PortfolioPoint {
  readonly businessDate: BusinessDate;
  /** Loans on the books: disbursed, neither paid off nor written off. */
  readonly loans: number;
  /** In minor units. */
  readonly outstandingPrincipal: number;
  /** Shares of outstanding principal: past due at all, more than 30 and 90 days, and non-performing (substandard, doubtful, loss). */
  readonly overdueRatio: string;
  readonly overdueRatioDpdOver30: string;
  readonly overdueRatioDpdOver90: string;
  readonly nplRatio: string;
}

/** How loans of one credit grade at origination have fared: does the assessment predict delinquency? */
export interface GradeOutcome {
  readonly grade: string;
  readonly disbursed: number;
  /** Loans that ever reached 30 days past due, or were written off. */
  readonly everThirtyDaysPastDue: number;
  readonly everThirtyDaysPastDueRate: string;
  readonly onBooks: number;
  /** On the books and past due at the last close of business. */
  readonly overdueNow: number;
  readonly overdueRate: string;
}

interface TrackedLoan {
  row: OverdueLoan;
  readonly grade: string;
}

/**
 * The portfolio after every close of business, folded from the event log in order: each
 * loan as the overdue-status projection folds it, and at each BusinessDayClosed a point
 * per currency, each loan judged by the standing rules every view uses (loan-standing.ts).
 */
export class PortfolioHistory {
  private readonly loans = new Map<string, TrackedLoan>();
  private readonly points = new Map<string, PortfolioPoint[]>();
  private lastClosedOn: BusinessDate | null = null;
  private readonly closes: { businessDate: BusinessDate; position: number }[] = [];

  apply(event: StoredEvent): void {
    if (event.type === 'BusinessDayClosed') {
      this.close((event.data as BusinessDayClosedData).businessDate, event.position);
      return;
    }
    const loanId = overdueLoanIdOf(event);
    if (loanId === undefined) return;
    const tracked = this.loans.get(loanId);
    const next = foldOverdueLoan(tracked?.row, event);
    if (!next) return;
    if (tracked) tracked.row = next;
    else if (event.type === 'LoanOriginated') this.loans.set(loanId, { row: next, grade: (event.data as LoanOriginatedData).creditAssessment.grade });
  }

  /** Per currency, a point per close of business, oldest first. */
  history(): { currency: string; points: readonly PortfolioPoint[] }[] {
    return [...this.points.keys()].sort().map((currency) => ({ currency, points: this.points.get(currency)! }));
  }

  /** Closes of business seen: their dates and log positions, oldest first. */
  closesOfBusiness(): readonly { businessDate: BusinessDate; position: number }[] {
    return this.closes;
  }

  byGrade(): GradeOutcome[] {
    const grades = new Map<string, { disbursed: number; ever30: number; onBooks: number; overdue: number }>();
    for (const { row, grade } of this.loans.values()) {
      if (row.status === 'approved' || row.status === 'cancelled') continue;
      const tally = grades.get(grade) ?? { disbursed: 0, ever30: 0, onBooks: 0, overdue: 0 };
      tally.disbursed += 1;
      if (row.times_30_dpd > 0 || row.status === 'written-off') tally.ever30 += 1;
      if (row.status === 'active') {
        tally.onBooks += 1;
        if (this.lastClosedOn !== null && standingOfRow(row, this.lastClosedOn).daysPastDue > 0) tally.overdue += 1;
      }
      grades.set(grade, tally);
    }
    return [...grades.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([grade, t]) => ({
        grade,
        disbursed: t.disbursed,
        everThirtyDaysPastDue: t.ever30,
        everThirtyDaysPastDueRate: ratio(t.ever30, t.disbursed),
        onBooks: t.onBooks,
        overdueNow: t.overdue,
        overdueRate: ratio(t.overdue, t.onBooks),
      }));
  }

  private close(businessDate: BusinessDate, position: number): void {
    this.lastClosedOn = businessDate;
    this.closes.push({ businessDate, position });
    const byCurrency = new Map<string, { loans: number; principal: number; overdue: number; over30: number; over90: number; npl: number }>();
    for (const { row } of this.loans.values()) {
      const standing = standingOfRow(row, businessDate);
      if (standing.account !== 'open') continue;
      const tally = byCurrency.get(row.currency) ?? { loans: 0, principal: 0, overdue: 0, over30: 0, over90: 0, npl: 0 };
      const principal = standing.principalOutstanding;
      const counts = ratioNumeratorsOf(standing);
      tally.loans += 1;
      tally.principal += principal;
      if (counts.pastDue) tally.overdue += principal;
      if (counts.dpdOver30) tally.over30 += principal;
      if (counts.dpdOver90) tally.over90 += principal;
      if (counts.nonPerforming) tally.npl += principal;
      byCurrency.set(row.currency, tally);
    }
    for (const [currency, t] of byCurrency) {
      const series = this.points.get(currency) ?? [];
      // A second close of the same date (a repeat appends nothing, but be safe) replaces the first.
      if (series.at(-1)?.businessDate === businessDate) series.pop();
      series.push({
        businessDate,
        loans: t.loans,
        outstandingPrincipal: t.principal,
        overdueRatio: ratio(t.overdue, t.principal),
        overdueRatioDpdOver30: ratio(t.over30, t.principal),
        overdueRatioDpdOver90: ratio(t.over90, t.principal),
        nplRatio: ratio(t.npl, t.principal),
      });
      this.points.set(currency, series);
    }
  }
}

/** A loan's standing on a date from its folded overdue-status row: the same rules as every other view. */
export function standingOfRow(row: OverdueLoan, on: BusinessDate): LoanStanding {
  return standingFrom(standingFactsOfRow(row), on);
}
