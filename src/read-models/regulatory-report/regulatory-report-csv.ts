import { toCsv } from '../../kernel/text/csv.js';
import type { RegulatoryReport } from './regulatory-report.js';

const HEADER = ['section', 'currency', 'dimension', 'detail', 'measure', 'value'] as const;

/** The regulator report as one flat table, one figure per row, in the order of the JSON. */
export function regulatoryReportCsv(report: RegulatoryReport): string {
  const rows: (string | number)[][] = [[...HEADER]];
  const row = (section: string, currency: string, dimension: string, detail: string, measure: string, value: string | number) =>
    rows.push([section, currency, dimension, detail, measure, value]);
  row('report', '', 'as-of', '', 'date', report.asOf);
  row('report', '', 'period', '', 'from', report.period.from);
  row('report', '', 'period', '', 'to', report.period.to);
  row('report', '', 'previous-month-end', '', 'date', report.previousMonthEnd);
  row('report', '', 'basis', '', 'close-of-business', report.basis.closeOfBusiness);
  row('report', '', 'basis', '', 'last-position', report.basis.lastPosition);
  for (const { currency, portfolio, flows, rollRates, restatedPreviousMonthEnd, vintages, capCheck } of report.currencies) {
    row('portfolio', currency, 'total', '', 'loans', portfolio.loans);
    row('portfolio', currency, 'total', '', 'principal', portfolio.principalOutstanding);
    for (const c of portfolio.byClass) tally(row, 'portfolio-by-class', currency, c.class, '', c);
    for (const b of portfolio.byBucket) tally(row, 'portfolio-by-bucket', currency, b.bucket, '', b);
    for (const s of portfolio.byStage) tally(row, 'portfolio-by-stage', currency, `stage-${s.stage}`, '', s);
    row('ratios', currency, 'npl', '', 'ratio', portfolio.nplRatio);
    row('ratios', currency, 'dpd-over-30', '', 'ratio', portfolio.overdueRatioDpdOver30);
    row('ratios', currency, 'dpd-over-90', '', 'ratio', portfolio.overdueRatioDpdOver90);
    for (const [name, figures] of Object.entries(flows)) {
      for (const [measure, value] of Object.entries(figures)) row('flows', currency, name, '', measure, value as string | number);
    }
    for (const { from, to } of rollRates) for (const cell of to) tally(row, 'roll-rates', currency, from, cell.to, cell);
    for (const cell of restatedPreviousMonthEnd) tally(row, 'roll-rates-restated', currency, cell.reported, cell.now, cell);
    for (const vintage of vintages) {
      row('vintages', currency, vintage.disbursedIn, '', 'loans', vintage.loans);
      row('vintages', currency, vintage.disbursedIn, '', 'principal', vintage.principal);
      vintage.everThirtyDaysPastDueShare.forEach((share, monthsOnBook) =>
        row('vintages', currency, vintage.disbursedIn, `months-on-book-${monthsOnBook}`, 'ever-30-dpd-share', share),
      );
    }
    row('cap-check', currency, 'total', '', 'loans-above-cap', capCheck.loansAboveCap);
    for (const loan of capCheck.loans) {
      row('cap-check', currency, loan.loanId, '', 'rate', loan.rate);
      row('cap-check', currency, loan.loanId, '', 'penalty-rate', loan.penaltyRate);
      row('cap-check', currency, loan.loanId, '', 'cap', loan.cap);
    }
  }
  for (const c of report.collectionConduct.contacts) row('collection-contacts', '', c.channel, c.party, 'contacts', c.count);
  for (const v of report.collectionConduct.violations) row('collection-violations', '', v.rule, '', 'violations', v.count);
  return toCsv(rows);
}

function tally(
  row: (section: string, currency: string, dimension: string, detail: string, measure: string, value: string | number) => void,
  section: string,
  currency: string,
  dimension: string,
  detail: string,
  figures: { loans: number; principal: string },
): void {
  row(section, currency, dimension, detail, 'loans', figures.loans);
  row(section, currency, dimension, detail, 'principal', figures.principal);
}
