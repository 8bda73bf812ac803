import { sha256Hex } from '../../kernel/sha256-hex.js';

/** A report's exact bytes and their SHA-256: the same request gives the same bytes and the same hash. */
export interface RenderedReport {
  readonly body: string;
  readonly contentType: string;
  readonly sha256: string;
}

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function rendered(body: string, format: ReportFormat): RenderedReport {
  return {
    body,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    sha256: sha256Hex(body),
  };
}

/** Two-space JSON with a final newline; key order is the order the report was built in. */
export function reportJson(report: unknown): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
