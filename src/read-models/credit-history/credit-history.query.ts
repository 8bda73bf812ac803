import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { YearMonth } from '../../kernel/dates/year-month.js';
import type { RenderedReport, ReportFormat } from '../report-basis/rendered-report.js';
import { CreditHistoryService } from './credit-history.service.js';

/** A borrower's credit history as of a closed month (default: the last one closed), rendered. */
export class CreditHistoryQuery extends Query<RenderedReport> {
  constructor(
    readonly borrowerId: string,
    readonly asOf: YearMonth | undefined,
    readonly format: ReportFormat,
  ) {
    super();
  }
}

@QueryHandler(CreditHistoryQuery)
export class CreditHistoryQueryHandler implements IQueryHandler<CreditHistoryQuery> {
  constructor(private readonly histories: CreditHistoryService) {}

  execute({ borrowerId, asOf, format }: CreditHistoryQuery): Promise<RenderedReport> {
    return this.histories.render(borrowerId, asOf, format);
  }
}
