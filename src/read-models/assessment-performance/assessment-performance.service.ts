import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { EVENT_STORE, type EventStore } from '../../kernel/event-store/event-store.port.js';
import { type ReportProgress, readLogThrough } from '../report-basis/read-log-through.js';
import { type LoanEvent, isLoanStream, loanIdOfStream } from '../../loans/domain/loan-events.js';
import { lastClosedBusinessDate, reportBasisFor } from '../report-basis/close-of-business-basis.js';
import { type RenderedReport, type ReportFormat, rendered, reportJson } from '../report-basis/rendered-report.js';
import { type AssessmentPerformanceReport, AssessmentPerformanceBuilder, type Outcome } from './assessment-performance.js';
import { assessmentPerformanceCsv } from './assessment-performance-csv.js';



/**
 * Whether the credit assessment predicted who fell behind, derived like the regulator
 * report from the event log up to the close of business that closed `asOf` and from
 * nothing else: the same bytes on every request, after later appends and rebuilds.
 */
@Injectable()
export class AssessmentPerformanceService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly config: AppConfig,
  ) {}

  async report(asOf: BusinessDate, outcome: Outcome, windowMonths: number, onProgress?: ReportProgress): Promise<AssessmentPerformanceReport> {
    const basis = await reportBasisFor(this.events, asOf);
    const builder = new AssessmentPerformanceBuilder({ asOf, outcome, windowMonths, minimumLoansPerCohort: this.config.ASSESSMENT_MIN_LOANS_PER_COHORT });
    await readLogThrough(
      this.events,
      basis.lastPosition,
      (stored) => {
        if (isLoanStream(stored.stream)) builder.addLoanEvent(loanIdOfStream(stored.stream), { type: stored.type, data: stored.data } as LoanEvent);
      },
      onProgress,
    );
    return builder.build(basis);
  }

  lastClosedOn(): Promise<BusinessDate> {
    return lastClosedBusinessDate(this.events);
  }

  async render(asOf: BusinessDate, outcome: Outcome, windowMonths: number, format: ReportFormat, onProgress?: ReportProgress): Promise<RenderedReport> {
    const report = await this.report(asOf, outcome, windowMonths, onProgress);
    return rendered(format === 'csv' ? assessmentPerformanceCsv(report) : reportJson(report), format);
  }
}
