import type { INestApplicationContext } from '@nestjs/common';
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type BusinessDate, isBusinessDate } from '../kernel/dates/business-date.js';
import { DEFAULT_WINDOW_MONTHS, OUTCOMES, type Outcome } from '../read-models/assessment-performance/assessment-performance.js';
import { AssessmentPerformanceService } from '../read-models/assessment-performance/assessment-performance.service.js';
import { REPORT_FORMATS, type ReportFormat } from '../read-models/report-basis/rendered-report.js';
import { ProgressBar } from './progress-bar.js';
import { UsageError } from './usage-error.js';

export interface AssessmentPerformanceCliOptions {
  readonly asOf: BusinessDate;
  readonly outcome: Outcome;
  readonly window: number;
  readonly format: ReportFormat;
  /** The file to write (whole or not at all); absent: the report on stdout. */
  readonly out?: string;
}

/** The options checked before anything is opened or computed. */
export function checkAssessmentPerformanceOptions(options: { asOf?: string; outcome?: string; window?: string; format?: string; out?: string }): AssessmentPerformanceCliOptions {
  const { asOf, out } = options;
  const outcome = (options.outcome ?? 'dpd30') as Outcome;
  const window = Number(options.window ?? DEFAULT_WINDOW_MONTHS);
  const format = (options.format ?? (out?.endsWith('.csv') ? 'csv' : 'json')) as ReportFormat;
  if (!asOf || !isBusinessDate(asOf)) throw new UsageError('--as-of must be a calendar date YYYY-MM-DD');
  if (!OUTCOMES.includes(outcome)) throw new UsageError(`--outcome must be one of ${OUTCOMES.join(', ')}`);
  if (!Number.isInteger(window) || window < 1 || window > 120) throw new UsageError('--window must be a whole number of months from 1 to 120');
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
  return { asOf, outcome, window, format, ...(out !== undefined && { out }) };
}

/** `report assessment-performance --as-of D [--outcome dpd30|dpd90] [--window 12] [--format json|csv] [--out FILE]`, parsed. */
export function parseAssessmentPerformanceArgs(args: string[]): AssessmentPerformanceCliOptions {
  const { values } = parseArgs({
    args,
    options: { 'as-of': { type: 'string' }, outcome: { type: 'string' }, window: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  return checkAssessmentPerformanceOptions({ ...values, asOf: values['as-of'] });
}

/**
 * `arrears report assessment-performance`: the same bytes GET /reports/assessment-performance
 * returns, to a file (written whole or not at all, its SHA-256 printed) or to stdout.
 */
export async function assessmentPerformanceCommand(app: INestApplicationContext, { asOf, outcome, window, format, out }: AssessmentPerformanceCliOptions): Promise<void> {
  const bar = new ProgressBar('assessment performance', 'events');
  let report;
  try {
    report = await app.get(AssessmentPerformanceService).render(asOf, outcome, window, format, (position, last) => bar.update(position, last));
  } finally {
    bar.stop();
  }
  if (out === undefined) {
    process.stdout.write(report.body);
    return;
  }
  const partial = `${out}.partial`;
  writeFileSync(partial, report.body);
  renameSync(partial, out);
  process.stdout.write(`${JSON.stringify({ asOf, outcome, window, format, out, bytes: Buffer.byteLength(report.body), sha256: report.sha256 }, null, 2)}\n`);
}
