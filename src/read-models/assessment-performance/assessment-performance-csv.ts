import { toCsv } from '../../kernel/text/csv.js';
import type { AssessmentPerformanceReport, CohortPerformance } from './assessment-performance.js';

const HEADER = ['section', 'source', 'dimension', 'detail', 'measure', 'value'] as const;

/** The assessment performance report as one flat table, one figure per row, in the order of the JSON; an undefined figure is empty, its reason in the next row. */
export function assessmentPerformanceCsv(report: AssessmentPerformanceReport): string {
  const rows: (string | number)[][] = [[...HEADER]];
  const row = (section: string, source: string, dimension: string, detail: string, measure: string, value: string | number | null) =>
    rows.push([section, source, dimension, detail, measure, value ?? '']);
  row('report', '', 'as-of', '', 'date', report.asOf);
  row('report', '', 'outcome', '', 'outcome', report.outcome);
  row('report', '', 'window', '', 'months', report.definition.windowMonths);
  row('report', '', 'score-direction', '', 'text', report.definition.scoreDirection);
  row('report', '', 'minimum-loans-per-cohort', '', 'loans', report.definition.minimumLoansPerCohort);
  row('report', '', 'basis', '', 'close-of-business', report.basis.closeOfBusiness);
  row('report', '', 'basis', '', 'last-position', report.basis.lastPosition);
  for (const cohort of [report.overall, ...report.sources]) cohortRows(row, cohort);
  return toCsv(rows);
}

function cohortRows(
  row: (section: string, source: string, dimension: string, detail: string, measure: string, value: string | number | null) => void,
  c: CohortPerformance,
): void {
  const s = c.source;
  row('total', s, '', '', 'loans', c.loans);
  row('total', s, '', '', 'bad', c.bad);
  row('total', s, '', '', 'bad-rate', c.badRate);
  for (const g of c.byGrade) {
    row('by-grade', s, g.grade, '', 'loans', g.loans);
    row('by-grade', s, g.grade, '', 'bad', g.bad);
    row('by-grade', s, g.grade, '', 'bad-rate', g.badRate);
  }
  for (const b of c.scoreBands) {
    const detail = `${b.scoreAbove ?? ''}<score<=${b.scoreUpTo}`;
    row('by-score-band', s, `band-${b.band}`, detail, 'loans', b.loans);
    row('by-score-band', s, `band-${b.band}`, detail, 'bad', b.bad);
    row('by-score-band', s, `band-${b.band}`, detail, 'bad-rate', b.badRate);
  }
  const d = c.discrimination;
  row('discrimination', s, '', '', 'auc', d.auc);
  row('discrimination', s, '', '', 'gini', d.gini);
  row('discrimination', s, '', '', 'ks', d.ks);
  row('discrimination', s, '', '', 'ks-at-score', d.ksAtScore);
  if (d.reason) row('discrimination', s, '', '', 'reason', d.reason);
  const p = c.stability;
  if (p.baseline) row('stability', s, 'baseline', `${p.baseline.from}..${p.baseline.to}`, 'loans', p.baseline.loans);
  row('stability', s, 'recent', `${p.recent.from}..${p.recent.to}`, 'loans', p.recent.loans);
  for (const b of p.bands) {
    const detail = `${b.scoreAbove ?? ''}<score<=${b.scoreUpTo}`;
    row('stability', s, `band-${b.band}`, detail, 'baseline-loans', b.baselineLoans);
    row('stability', s, `band-${b.band}`, detail, 'recent-loans', b.recentLoans);
  }
  row('stability', s, '', '', 'psi', p.psi);
  row('stability', s, '', '', 'reading', p.reading);
  if (p.reason) row('stability', s, '', '', 'reason', p.reason);
  for (const v of c.vintages) {
    row('vintages', s, v.originatedIn, '', 'loans', v.loans);
    row('vintages', s, v.originatedIn, '', 'bad', v.bad);
    row('vintages', s, v.originatedIn, '', 'bad-rate', v.badRate);
    row('vintages', s, v.originatedIn, '', 'auc', v.auc);
    row('vintages', s, v.originatedIn, '', 'ks', v.ks);
    if (v.reason) row('vintages', s, v.originatedIn, '', 'reason', v.reason);
  }
}
