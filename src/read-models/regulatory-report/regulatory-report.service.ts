import { Inject, Injectable } from '@nestjs/common';
import type { CollectionEvent } from '../../collections/domain/collection-events.js';
import { isCollectionStream } from '../../collections/domain/collection-events.js';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import { EVENT_STORE, type EventStore } from '../../kernel/event-store/event-store.port.js';
import { type ReportProgress, readLogThrough } from '../report-basis/read-log-through.js';
import { type LoanEvent, isLoanStream, loanIdOfStream } from '../../loans/domain/loan-events.js';
import { lastClosedBusinessDate, previousReportBasis, reportBasisFor } from '../report-basis/close-of-business-basis.js';
import { type RegulatoryReport, RegulatoryReportBuilder } from './regulatory-report.js';
import { regulatoryReportCsv } from './regulatory-report-csv.js';
import { type RenderedReport, type ReportFormat, rendered, reportJson } from '../report-basis/rendered-report.js';



/**
 * The regulator report for a business date, derived from the event log up to that date's
 * close of business and from nothing else: no projection, no clock. Identical bytes on
 * every request, after later appends, and after any projection is rebuilt.
 */
@Injectable()
export class RegulatoryReportService {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async report(asOf: BusinessDate, onProgress?: ReportProgress): Promise<RegulatoryReport> {
    const basis = await reportBasisFor(this.events, asOf);
    const previous = await previousReportBasis(this.events, asOf);
    const builder = new RegulatoryReportBuilder(asOf, previous?.lastPosition);
    await readLogThrough(
      this.events,
      basis.lastPosition,
      (stored) => {
        const event = { type: stored.type, data: stored.data };
        if (isLoanStream(stored.stream)) builder.addLoanEvent(loanIdOfStream(stored.stream), event as LoanEvent, stored.position);
        else if (isCollectionStream(stored.stream)) builder.addCollectionEvent(event as CollectionEvent);
      },
      onProgress,
    );
    return builder.build(basis);
  }

  lastClosedOn(): Promise<BusinessDate> {
    return lastClosedBusinessDate(this.events);
  }

  async render(asOf: BusinessDate, format: ReportFormat, onProgress?: ReportProgress): Promise<RenderedReport> {
    const report = await this.report(asOf, onProgress);
    return rendered(format === 'csv' ? regulatoryReportCsv(report) : reportJson(report), format);
  }
}
