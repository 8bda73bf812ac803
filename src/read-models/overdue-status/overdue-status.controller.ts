import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { Roles, TimeTravelRoles } from '../../auth/access.decorators.js';
import { READERS } from '../../auth/roles.js';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OverdueListDto, OverdueListQueryDto, OverdueStatusDto, OverdueSummaryDto } from './overdue-status.dto.js';
import { QueryBus } from '@nestjs/cqrs';
import { GetOverdueStatusQuery } from './get-overdue-status.query.js';
import { ListOverdueLoansQuery } from './list-overdue-loans.query.js';
import { OverdueSummaryQuery } from './overdue-summary.query.js';
import { AsOfQueryDto } from '../../http/as-of-query.dto.js';
import { LoanIdParams } from '../../http/loan-route-params.dto.js';

/** What Fastify would have sent with the summary serialised by it. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Overdue status from the overdue-status projection, as of the last closed business date. */
@ApiTags('overdue')
@Roles(...READERS)
@Controller()
export class OverdueStatusController {
  constructor(private readonly queries: QueryBus) {}

  @TimeTravelRoles('auditor')
  @Get('loans/:loanId/overdue-status')
  @ApiOkResponse({ type: OverdueStatusDto })
  @ApiNotFoundResponse()
  forLoan(@Param() { loanId }: LoanIdParams, @Query() { asOf, knownAt }: AsOfQueryDto): Promise<OverdueStatusDto> {
    return this.queries.execute(new GetOverdueStatusQuery(loanId, asOf, knownAt));
  }

  @Get('overdue')
  @ApiOkResponse({ type: OverdueListDto, description: 'Overdue loans, days past due descending, a page at a time' })
  list(@Query() filter: OverdueListQueryDto): Promise<OverdueListDto> {
    return this.queries.execute(new ListOverdueLoansQuery(filter));
  }

  @Get('overdue/summary')
  @Header('content-type', JSON_CONTENT_TYPE)
  @ApiOkResponse({ type: OverdueSummaryDto, description: 'Loans and outstanding principal by bucket and by class, per currency' })
  async summary(): Promise<string> {
    return serialisedOnce(await this.queries.execute(new OverdueSummaryQuery()));
  }
}

/**
 * The reader answers the same summary object until the projection moves, and dashboards
 * poll it: it is serialised once per summary, not once per request, as JSON.stringify would.
 */
const serialised = new WeakMap<OverdueSummaryDto, string>();

function serialisedOnce(summary: OverdueSummaryDto): string {
  let json = serialised.get(summary);
  if (json === undefined) serialised.set(summary, (json = JSON.stringify(summary)));
  return json;
}
