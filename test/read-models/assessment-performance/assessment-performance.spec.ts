import type { LoanEvent } from '../../../src/loans/domain/loan-events.js';
import { AssessmentPerformanceBuilder } from '../../../src/read-models/assessment-performance/assessment-performance.js';

const BASIS = { closeOfBusiness: '2026-12-31', lastPosition: 99 };

const originated = (score: number, originatedOn: string, source = 'card-1', grade = 'B') =>
  ({ type: 'LoanOriginated', data: { originatedOn, creditAssessment: { score, grade, source, assessedOn: originatedOn } } }) as unknown as LoanEvent;
const disbursed = (disbursedOn: string) => ({ type: 'LoanDisbursed', data: { disbursedOn } }) as unknown as LoanEvent;
const reached = (threshold: 30 | 90, reachedOn: string) => ({ type: 'DelinquencyThresholdReached', data: { threshold, reachedOn, oldestUnpaidDueOn: '2026-01-01' } }) as LoanEvent;
const withdrawn = (threshold: 30 | 90, reachedOn: string) => ({ type: 'DelinquencyThresholdWithdrawn', data: { threshold, reachedOn, paymentId: 'P' } }) as LoanEvent;

function build(asOf: string, loans: Record<string, LoanEvent[]>, outcome: 'dpd30' | 'dpd90' = 'dpd30', windowMonths = 3) {
  const builder = new AssessmentPerformanceBuilder({ asOf, outcome, windowMonths, minimumLoansPerCohort: 1 });
  for (const [loanId, events] of Object.entries(loans)) for (const event of events) builder.addLoanEvent(loanId, event);
  return builder.build({ ...BASIS, closeOfBusiness: asOf });
}

describe('who the assessment performance report judges, and what is bad', () => {
  it('judges loans whose window has passed; bad when the threshold is dated within it, the window end included', () => {
    const report = build('2026-06-30', {
      'ON-END': [originated(500, '2026-01-10'), disbursed('2026-01-15'), reached(30, '2026-04-15')],
      'DAY-AFTER': [originated(600, '2026-01-10'), disbursed('2026-01-15'), reached(30, '2026-04-16')],
      WITHDRAWN: [originated(650, '2026-01-10'), disbursed('2026-01-15'), reached(30, '2026-03-20'), withdrawn(30, '2026-03-20')],
      'ONLY-90': [originated(700, '2026-01-10'), disbursed('2026-01-15'), reached(90, '2026-04-01')],
      'WRITTEN-OFF': [originated(550, '2026-01-10'), disbursed('2026-01-15'), { type: 'LoanWrittenOff', data: { writtenOffOn: '2026-03-01' } } as unknown as LoanEvent],
      // Disbursed 2026-04-01: its window ends 2026-07-01, after asOf (one disbursed on 03-31 would be judged).
      'TOO-YOUNG': [originated(800, '2026-03-30'), disbursed('2026-04-01'), reached(30, '2026-05-01')],
      CANCELLED: [originated(900, '2026-01-10'), { type: 'LoanOriginationCancelled', data: { cancelledOn: '2026-01-11', reason: 'x' } } as LoanEvent],
      'NOT-DISBURSED': [originated(910, '2026-01-10')],
    });
    // Judged: ON-END (bad), DAY-AFTER (good), WITHDRAWN (good), ONLY-90 (good for dpd30), WRITTEN-OFF (bad).
    expect(report.overall).toMatchObject({ loans: 5, bad: 2, good: 3, badRate: '0.400000' });
    // Goods 600 650 700, bads 500 550: every good above every bad.
    expect(report.overall.discrimination).toMatchObject({ auc: '1.000000', gini: '1.000000', ks: '1.000000', ksAtScore: 550 });
    // The 90-day outcome counts the 90-day threshold only.
    expect(build('2026-06-30', { A: [originated(700, '2026-01-10'), disbursed('2026-01-15'), reached(90, '2026-04-01')], B: [originated(600, '2026-01-10'), disbursed('2026-01-15')] }, 'dpd90').overall).toMatchObject({ loans: 2, bad: 1 });
  });

  it('PSI cohorts: the three months up to asOf against the earliest twelve months before them; the cancelled are left out', () => {
    const loans: Record<string, LoanEvent[]> = {};
    [1, 2, 3, 4].forEach((score) => (loans[`OLD-${score}`] = [originated(score, '2025-02-10'), disbursed('2025-02-11')]));
    loans['LATER'] = [originated(9, '2026-03-01')]; // after the baseline's twelve months, before the recent cohort
    [1, 2, 3, 4].forEach((score) => (loans[`NEW-${score}`] = [originated(score, '2026-06-01')]));
    loans['NEW-CANCELLED'] = [originated(99, '2026-06-02'), { type: 'LoanOriginationCancelled', data: { cancelledOn: '2026-06-03', reason: 'x' } } as LoanEvent];
    const { stability } = build('2026-06-30', loans).overall;
    expect(stability.baseline).toEqual({ from: '2025-02-01', to: '2026-01-31', loans: 4 });
    expect(stability.recent).toEqual({ from: '2026-03-31', to: '2026-06-30', loans: 4 });
    expect(stability).toMatchObject({ psi: '0.000000', reading: 'stable', reason: null });
  });

  it('per source, and for all sources together', () => {
    const report = build('2026-06-30', {
      X: [originated(500, '2026-01-10', 'card-2'), disbursed('2026-01-15'), reached(30, '2026-03-20')],
      Y: [originated(700, '2026-01-10', 'card-1'), disbursed('2026-01-15')],
    });
    expect(report.sources.map((s) => [s.source, s.loans, s.bad])).toEqual([
      ['card-1', 1, 0],
      ['card-2', 1, 1],
    ]);
    expect(report.sources[0]!.discrimination.reason).toBe('no bad loans');
    expect(report.overall).toMatchObject({ source: '*', loans: 2, bad: 1 });
  });
});
