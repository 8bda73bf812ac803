import type { INestApplicationContext } from '@nestjs/common';
import { accessSync, constants, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type BusinessDate, isBusinessDate } from '../kernel/dates/business-date.js';
import { RegulatoryReportService } from '../read-models/regulatory-report/regulatory-report.service.js';
import { REPORT_FORMATS, type ReportFormat } from '../read-models/report-basis/rendered-report.js';
import { UsageError } from './usage-error.js';
import { ProgressBar } from './progress-bar.js';

export interface ReportOptions {
  readonly asOf: BusinessDate;
  readonly out: string;
  readonly format: ReportFormat;
}

/** The options checked before anything is opened or computed: a file that cannot be written fails at once. */
export function checkReportOptions(options: { asOf: string; out: string; format?: string }): ReportOptions {
  const { asOf, out } = options;
  const format = (options.format ?? (out.endsWith('.csv') ? 'csv' : 'json')) as ReportFormat;
  if (!isBusinessDate(asOf)) throw new UsageError('--as-of must be a calendar date YYYY-MM-DD');
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
  const folder = dirname(resolve(out));
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) throw new UsageError(`--out ${out}: there is no directory ${folder} to write it in`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: the directory ${folder} cannot be written to`);
  }
  return { asOf, out, format };
}

/**
 * `arrears report --as-of D --out FILE [--format json|csv]`: the regulator report, the same
 * bytes GET /reports/regulatory returns. The file appears whole or not at all.
 */
export async function reportCommand(app: INestApplicationContext, { asOf, out, format }: ReportOptions): Promise<void> {
  const bar = new ProgressBar('regulatory report', 'events');
  let report;
  try {
    report = await app.get(RegulatoryReportService).render(asOf, format, (position, last) => bar.update(position, last));
  } finally {
    bar.stop();
  }
  const partial = `${out}.partial`;
  writeFileSync(partial, report.body);
  renameSync(partial, out);
  process.stdout.write(`${JSON.stringify({ asOf, format, out, bytes: Buffer.byteLength(report.body), sha256: report.sha256 }, null, 2)}\n`);
}
