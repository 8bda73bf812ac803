import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { OverdueListDto, OverdueListQueryDto } from './overdue-status.dto.js';
import { OverdueStatusReader } from './overdue-status.reader.js';

/** Overdue loans, days past due descending, a page at a time. */
export class ListOverdueLoansQuery extends Query<OverdueListDto> {
  constructor(readonly filter: OverdueListQueryDto) {
    super();
  }
}

@QueryHandler(ListOverdueLoansQuery)
export class ListOverdueLoansQueryHandler implements IQueryHandler<ListOverdueLoansQuery> {
  constructor(private readonly reader: OverdueStatusReader) {}

  execute({ filter }: ListOverdueLoansQuery): Promise<OverdueListDto> {
    return this.reader.list(filter);
  }
}
