import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { RenderedReport, ReportFormat } from '../report-basis/rendered-report.js';
import { RegulatoryReportService } from './regulatory-report.service.js';

/** The regulator report for a closed business date (default: the last one closed), rendered. */
export class RegulatoryReportQuery extends Query<RenderedReport> {
  constructor(
    readonly asOf: BusinessDate | undefined,
    readonly format: ReportFormat,
  ) {
    super();
  }
}

@QueryHandler(RegulatoryReportQuery)
export class RegulatoryReportQueryHandler implements IQueryHandler<RegulatoryReportQuery> {
  constructor(private readonly reports: RegulatoryReportService) {}

  async execute({ asOf, format }: RegulatoryReportQuery): Promise<RenderedReport> {
    return this.reports.render(asOf ?? (await this.reports.lastClosedOn()), format);
  }
}
