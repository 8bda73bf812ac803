import { Controller, Get, Query, Res } from '@nestjs/common';
import { Roles } from '../../auth/access.decorators.js';
import { ApiConflictResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { QueryBus } from '@nestjs/cqrs';
import { RegulatoryReportQuery } from './regulatory-report.query.js';
import { sendReport } from '../report-basis/send-report.js';
import { RegulatoryReportQueryDto } from './report-queries.dto.js';

/** The regulator report derived from the event log up to a close of business: the same bytes every time, with their SHA-256 in a header. */
@ApiTags('reports')
@Roles('auditor')
@Controller()
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('reports/regulatory')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'The regulator report for a closed business date; x-content-sha256 is the SHA-256 of the body' })
  @ApiConflictResponse({ description: 'REPORT.NOT_CLOSED: the date has not been closed by close of business' })
  async regulatory(@Query() query: RegulatoryReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendReport(reply, await this.queries.execute(new RegulatoryReportQuery(query.asOf, query.format ?? 'json')));
  }
}
