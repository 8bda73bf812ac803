import type { PolicyInForce } from '../../close-of-business/domain/business-day.js';
import type { BusinessDate } from '../../kernel/dates/business-date.js';

/** The log prefix a report is derived from: everything up to the close of business that closed its date. */
export interface ReportBasis {
  readonly closeOfBusiness: BusinessDate;
  readonly lastPosition: number;
  /** The lending policy in force at that close, whose cap the report judges rates against (absent: each loan's own). */
  readonly lendingPolicy?: PolicyInForce;
}
