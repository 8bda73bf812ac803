import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { Roles } from '../../auth/access.decorators.js';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BorrowerIdParams } from '../../http/borrower-id.params.js';
import { QueryBus } from '@nestjs/cqrs';
import { CreditHistoryQuery } from './credit-history.query.js';
import { sendReport } from '../report-basis/send-report.js';
import { CreditHistoryQueryDto } from './credit-history-query.dto.js';

/** A borrower's credit history as of a closed month: the same bytes every time, with their SHA-256 in a header. */
@ApiTags('reports')
@Roles('auditor')
@Controller()
export class CreditHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get('borrowers/:borrowerId/credit-history')
  @ApiOkResponse({ description: 'Per loan: opening, balance, highest DPD, episodes, PBOC 24-month string, Metro 2 status and profile' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'REPORT.NOT_CLOSED: the month has not been closed by close of business' })
  async creditHistory(@Param() { borrowerId }: BorrowerIdParams, @Query() query: CreditHistoryQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendReport(reply, await this.queries.execute(new CreditHistoryQuery(borrowerId, query.asOf, 'json')));
  }

  @Get('borrowers/:borrowerId/credit-history.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The credit history in CSV, one row per loan' })
  async creditHistoryCsv(@Param() { borrowerId }: BorrowerIdParams, @Query() query: CreditHistoryQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendReport(reply, await this.queries.execute(new CreditHistoryQuery(borrowerId, query.asOf, 'csv')));
  }
}
