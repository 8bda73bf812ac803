import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { RenderedReport, ReportFormat } from '../report-basis/rendered-report.js';
import type { Outcome } from './assessment-performance.js';
import { AssessmentPerformanceService } from './assessment-performance.service.js';

/** The assessment performance report for a closed business date (default: the last one closed), rendered. */
export class AssessmentPerformanceQuery extends Query<RenderedReport> {
  constructor(
    readonly asOf: BusinessDate | undefined,
    readonly outcome: Outcome,
    readonly windowMonths: number,
    readonly format: ReportFormat,
  ) {
    super();
  }
}

@QueryHandler(AssessmentPerformanceQuery)
export class AssessmentPerformanceQueryHandler implements IQueryHandler<AssessmentPerformanceQuery> {
  constructor(private readonly reports: AssessmentPerformanceService) {}

  async execute({ asOf, outcome, windowMonths, format }: AssessmentPerformanceQuery): Promise<RenderedReport> {
    return this.reports.render(asOf ?? (await this.reports.lastClosedOn()), outcome, windowMonths, format);
  }
}
