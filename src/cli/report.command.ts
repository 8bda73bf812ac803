import type { INestApplicationContext } from '@nestjs/common';
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isBusinessDate } from '../kernel/dates/business-date.js';
import { RegulatoryReportService } from '../read-models/regulatory-report/regulatory-report.service.js';
import { REPORT_FORMATS, type ReportFormat } from '../read-models/report-basis/rendered-report.js';
import { UsageError } from './usage-error.js';
import { ProgressBar } from './progress-bar.js';

/**
 * `arrears report --as-of D --out FILE [--format json|csv]`: the regulator report, the same
 * bytes GET /reports/regulatory returns. The file appears whole or not at all.
 */
export async function reportCommand(app: INestApplicationContext, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'as-of': { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } }, strict: true });
  const asOf = values['as-of'];
  const format = (values.format ?? (values.out?.endsWith('.csv') ? 'csv' : 'json')) as ReportFormat;
  if (!asOf || !isBusinessDate(asOf)) throw new UsageError('--as-of must be a calendar date YYYY-MM-DD');
  if (!values.out) throw new UsageError('--out must name the file to write');
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);

  const bar = new ProgressBar('regulatory report', 'events');
  let report;
  try {
    report = await app.get(RegulatoryReportService).render(asOf, format, (position, last) => bar.update(position, last));
  } finally {
    bar.stop();
  }
  const partial = `${values.out}.partial`;
  writeFileSync(partial, report.body);
  renameSync(partial, values.out);
  process.stdout.write(`${JSON.stringify({ asOf, format, out: values.out, bytes: Buffer.byteLength(report.body), sha256: report.sha256 }, null, 2)}\n`);
}
