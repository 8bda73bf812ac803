import { type BusinessDate, addDays, addMonths } from '../../kernel/dates/business-date.js';
import { type YearMonth, addMonthsTo, firstDayOf, lastDayOf, monthOf } from '../../kernel/dates/year-month.js';
import { compareText } from '../../kernel/text/compare-text.js';
import type { LoanEvent } from '../../loans/domain/loan-events.js';
import type { ReportBasis } from '../report-basis/report-basis.js';
import { type Discrimination, type Psi, type ScoreBand, type ScoredOutcome, discriminationOf, psiOf, rateOf, scoreBands } from './score-statistics.js';

export const OUTCOMES = ['dpd30', 'dpd90'] as const;
export type Outcome = (typeof OUTCOMES)[number];
const THRESHOLD: Record<Outcome, 30 | 90> = { dpd30: 30, dpd90: 90 };

export const DEFAULT_WINDOW_MONTHS = 12;
/** The recent cohort of the PSI: loans originated in this many months up to the report date. */
export const RECENT_MONTHS = 3;
/** The baseline cohort of the PSI: the earliest this many months of originations. */
export const BASELINE_MONTHS = 12;

export const SCORE_DIRECTION =
  'a higher score means a better borrower: AUC is the chance that a good loan scores above a bad one (ties count half); 0.5 is no better than chance';

export interface AssessmentPerformanceOptions {
  readonly asOf: BusinessDate;
  readonly outcome: Outcome;
  readonly windowMonths: number;
  /** Fewer loans than this in a cohort: its AUC, Gini, KS or PSI is null, saying so. */
  readonly minimumLoansPerCohort: number;
}

export interface CohortPerformance {
  /** The assessment source (`*` for every source together). */
  readonly source: string;
  /** Loans disbursed at least the window before the report date: those whose outcome is known. */
  readonly loans: number;
  readonly bad: number;
  readonly good: number;
  readonly badRate: string | null;
  readonly byGrade: readonly { readonly grade: string; readonly loans: number; readonly bad: number; readonly badRate: string | null }[];
  readonly scoreBands: readonly ScoreBand[];
  readonly discrimination: Discrimination;
  readonly stability: {
    readonly baseline: { readonly from: BusinessDate; readonly to: BusinessDate; readonly loans: number } | null;
    readonly recent: { readonly from: BusinessDate; readonly to: BusinessDate; readonly loans: number };
  } & Psi;
  readonly vintages: readonly {
    readonly originatedIn: YearMonth;
    readonly loans: number;
    readonly bad: number;
    readonly badRate: string | null;
    readonly auc: string | null;
    readonly ks: string | null;
    readonly reason: string | null;
  }[];
}

export interface AssessmentPerformanceReport {
  readonly report: 'assessment-performance';
  readonly asOf: BusinessDate;
  readonly outcome: Outcome;
  readonly definition: {
    readonly bad: string;
    readonly windowMonths: number;
    readonly scoreDirection: string;
    readonly minimumLoansPerCohort: number;
    readonly recentCohort: string;
    readonly baselineCohort: string;
  };
  readonly basis: ReportBasis;
  readonly overall: CohortPerformance;
  readonly sources: readonly CohortPerformance[];
}

interface LoanFacts {
  score: number;
  grade: string;
  source: string;
  originatedOn: BusinessDate;
  cancelled: boolean;
  disbursedOn?: BusinessDate;
  writtenOffOn?: BusinessDate;
  /** Thresholds the close of business recorded (the standing module's days past due), as `threshold@reachedOn`, less those withdrawn. */
  readonly reached: Set<string>;
}

interface Judged extends ScoredOutcome {
  readonly grade: string;
  readonly source: string;
  readonly originatedOn: BusinessDate;
}

/**
 * The assessment performance report, fed the loan events of the log up to the report
 * date's close of business in log order. A loan's outcome comes from what close of business
 * recorded from the standing module (loans/domain/standing): bad when a
 * DelinquencyThresholdReached of the outcome's threshold is dated within the window after
 * disbursement (one later withdrawn by a payment recorded late does not count), or when the
 * loan was written off within it (and the write-off not reversed).
 */
export class AssessmentPerformanceBuilder {
  private readonly loans = new Map<string, LoanFacts>();

  constructor(private readonly options: AssessmentPerformanceOptions) {}

  addLoanEvent(loanId: string, event: LoanEvent): void {
    if (event.type === 'LoanOriginated') {
      const { score, grade, source } = event.data.creditAssessment;
      this.loans.set(loanId, { score, grade, source, originatedOn: event.data.originatedOn, cancelled: false, reached: new Set() });
      return;
    }
    const loan = this.loans.get(loanId);
    if (!loan) return;
    switch (event.type) {
      case 'LoanOriginationCancelled':
        loan.cancelled = true;
        return;
      case 'LoanDisbursed':
        loan.disbursedOn = event.data.disbursedOn;
        return;
      case 'DelinquencyThresholdReached':
        loan.reached.add(`${event.data.threshold}@${event.data.reachedOn}`);
        return;
      case 'DelinquencyThresholdWithdrawn':
        loan.reached.delete(`${event.data.threshold}@${event.data.reachedOn}`);
        return;
      case 'LoanWrittenOff':
        loan.writtenOffOn ??= event.data.writtenOffOn;
        return;
      case 'WriteOffReversed':
        delete loan.writtenOffOn;
        return;
      default:
        return;
    }
  }

  build(basis: ReportBasis): AssessmentPerformanceReport {
    const { asOf, outcome, windowMonths, minimumLoansPerCohort } = this.options;
    const threshold = THRESHOLD[outcome];
    const judged: Judged[] = [];
    const originated: Judged[] = [];
    for (const [, loan] of [...this.loans].sort(([a], [b]) => compareText(a, b))) {
      if (loan.cancelled || loan.originatedOn > asOf) continue;
      const facts = { score: loan.score, grade: loan.grade, source: loan.source, originatedOn: loan.originatedOn };
      originated.push({ ...facts, bad: false });
      if (loan.disbursedOn === undefined) continue;
      const windowEnds = addMonths(loan.disbursedOn, windowMonths);
      if (windowEnds > asOf) continue;
      const reached = [...loan.reached].some((key) => {
        const [t, on] = key.split('@') as [string, BusinessDate];
        return Number(t) === threshold && on <= windowEnds;
      });
      const writtenOff = loan.writtenOffOn !== undefined && loan.writtenOffOn <= windowEnds;
      judged.push({ ...facts, bad: reached || writtenOff });
    }
    const sources = [...new Set(originated.map((l) => l.source))].sort(compareText);
    return {
      report: 'assessment-performance',
      asOf,
      outcome,
      definition: {
        bad: `${threshold} or more days past due (or written off) within ${windowMonths} months of disbursement`,
        windowMonths,
        scoreDirection: SCORE_DIRECTION,
        minimumLoansPerCohort,
        recentCohort: `loans originated in the ${RECENT_MONTHS} months up to the report date`,
        baselineCohort: `loans originated in the earliest ${BASELINE_MONTHS} months of originations, before the recent cohort`,
      },
      basis,
      overall: this.cohort('*', judged, originated),
      sources: sources.map((source) =>
        this.cohort(
          source,
          judged.filter((l) => l.source === source),
          originated.filter((l) => l.source === source),
        ),
      ),
    };
  }

  private cohort(source: string, judged: readonly Judged[], originated: readonly Judged[]): CohortPerformance {
    const { asOf, minimumLoansPerCohort: minimum } = this.options;
    const bad = judged.filter((l) => l.bad).length;
    const grades = [...new Set(judged.map((l) => l.grade))].sort(compareText);
    const months = [...new Set(judged.map((l) => monthOf(l.originatedOn)))].sort(compareText);

    const recentFrom = addDays(addMonths(asOf, -RECENT_MONTHS), 1);
    const recent = originated.filter((l) => l.originatedOn >= recentFrom);
    const earliest = originated.map((l) => l.originatedOn).filter((on) => on < recentFrom).sort(compareText)[0];
    let baseline: CohortPerformance['stability']['baseline'] = null;
    let baselineScores: number[] = [];
    if (earliest !== undefined) {
      const lastMonthEnd = lastDayOf(addMonthsTo(monthOf(earliest), BASELINE_MONTHS - 1));
      const to = lastMonthEnd < recentFrom ? lastMonthEnd : addDays(recentFrom, -1);
      const members = originated.filter((l) => l.originatedOn <= to);
      baseline = { from: firstDayOf(monthOf(earliest)), to, loans: members.length };
      baselineScores = members.map((l) => l.score);
    }
    const psi = psiOf(
      baselineScores,
      recent.map((l) => l.score),
      minimum,
    );

    return {
      source,
      loans: judged.length,
      bad,
      good: judged.length - bad,
      badRate: rateOf(bad, judged.length),
      byGrade: grades.map((grade) => {
        const inGrade = judged.filter((l) => l.grade === grade);
        const badInGrade = inGrade.filter((l) => l.bad).length;
        return { grade, loans: inGrade.length, bad: badInGrade, badRate: rateOf(badInGrade, inGrade.length) };
      }),
      scoreBands: scoreBands(judged),
      discrimination: discriminationOf(judged, minimum),
      stability: {
        baseline,
        recent: { from: recentFrom, to: asOf, loans: recent.length },
        ...psi,
        reason: earliest === undefined ? `no baseline: every origination falls in the last ${RECENT_MONTHS} months` : psi.reason,
      },
      vintages: months.map((originatedIn) => {
        const vintage = judged.filter((l) => monthOf(l.originatedOn) === originatedIn);
        const badInVintage = vintage.filter((l) => l.bad).length;
        const { auc, ks, reason } = discriminationOf(vintage, minimum);
        return { originatedIn, loans: vintage.length, bad: badInVintage, badRate: rateOf(badInVintage, vintage.length), auc, ks, reason };
      }),
    };
  }
}
