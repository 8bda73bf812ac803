import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { Roles } from '../../auth/access.decorators.js';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BorrowerIdParams } from '../../collections/http/borrower-id.params.js';
import { CreditHistoryService } from '../credit-history.service.js';
import { RegulatoryReportService } from '../regulatory-report.service.js';
import type { RenderedReport } from '../rendered-report.js';
import { CreditHistoryQueryDto, RegulatoryReportQueryDto } from './report-queries.dto.js';

export const CONTENT_SHA256_HEADER = 'x-content-sha256';

/** Reports derived from the event log up to a close of business: the same bytes every time, with their SHA-256 in a header. */
@ApiTags('reports')
@Roles('auditor')
@Controller()
export class ReportsController {
  constructor(
    private readonly regulatoryReports: RegulatoryReportService,
    private readonly creditHistories: CreditHistoryService,
  ) {}

  @Get('reports/regulatory')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: `The regulator report for a closed business date; ${CONTENT_SHA256_HEADER} is the SHA-256 of the body` })
  @ApiConflictResponse({ description: 'REPORT.NOT_CLOSED: the date has not been closed by close of business' })
  async regulatory(@Query() query: RegulatoryReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const asOf = query.asOf ?? (await this.regulatoryReports.lastClosedOn());
    return send(reply, await this.regulatoryReports.render(asOf, query.format ?? 'json'));
  }

  @Get('borrowers/:borrowerId/credit-history')
  @ApiOkResponse({ description: 'Per loan: opening, balance, highest DPD, episodes, PBOC 24-month string, Metro 2 status and profile' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'REPORT.NOT_CLOSED: the month has not been closed by close of business' })
  async creditHistory(@Param() { borrowerId }: BorrowerIdParams, @Query() query: CreditHistoryQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return send(reply, await this.creditHistories.render(borrowerId, query.asOf, 'json'));
  }

  @Get('borrowers/:borrowerId/credit-history.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The credit history in CSV, one row per loan' })
  async creditHistoryCsv(@Param() { borrowerId }: BorrowerIdParams, @Query() query: CreditHistoryQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return send(reply, await this.creditHistories.render(borrowerId, query.asOf, 'csv'));
  }
}

function send(reply: FastifyReply, report: RenderedReport): string {
  reply.header('content-type', report.contentType);
  reply.header(CONTENT_SHA256_HEADER, report.sha256);
  return report.body;
}
