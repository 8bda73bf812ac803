import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { OverdueSummaryDto } from './overdue-status.dto.js';
import { OverdueStatusReader } from './overdue-status.reader.js';

/** Loans and outstanding principal by bucket and by class, per currency. */
export class OverdueSummaryQuery extends Query<OverdueSummaryDto> {}

@QueryHandler(OverdueSummaryQuery)
export class OverdueSummaryQueryHandler implements IQueryHandler<OverdueSummaryQuery> {
  constructor(private readonly reader: OverdueStatusReader) {}

  execute(): Promise<OverdueSummaryDto> {
    return this.reader.summary();
  }
}
