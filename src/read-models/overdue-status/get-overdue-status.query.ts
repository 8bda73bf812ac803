import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { OverdueStatusDto } from './overdue-status.dto.js';
import { OverdueStatusAsOfReader } from './overdue-status-as-of.reader.js';
import { OverdueStatusReader } from './overdue-status.reader.js';

/** One loan's overdue status: from the projection, or folded from its events as of a past date or as known at a past instant. */
export class GetOverdueStatusQuery extends Query<OverdueStatusDto> {
  constructor(
    readonly loanId: string,
    readonly asOf?: BusinessDate,
    readonly knownAt?: string,
  ) {
    super();
  }
}

@QueryHandler(GetOverdueStatusQuery)
export class GetOverdueStatusQueryHandler implements IQueryHandler<GetOverdueStatusQuery> {
  constructor(
    private readonly reader: OverdueStatusReader,
    private readonly asOfReader: OverdueStatusAsOfReader,
  ) {}

  execute({ loanId, asOf, knownAt }: GetOverdueStatusQuery): Promise<OverdueStatusDto> {
    return asOf || knownAt ? this.asOfReader.forLoan(loanId, asOf, knownAt) : this.reader.forLoan(loanId);
  }
}
