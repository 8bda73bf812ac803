import type { BusinessDate } from '../../kernel/dates/business-date.js';

/** The log prefix a report is derived from: everything up to the close of business that closed its date. */
export interface ReportBasis {
  readonly closeOfBusiness: BusinessDate;
  readonly lastPosition: number;
}
