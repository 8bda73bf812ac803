import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../auth/access.decorators.js';
import { sendReport } from '../report-basis/send-report.js';
import { DEFAULT_WINDOW_MONTHS } from './assessment-performance.js';
import { AssessmentPerformanceQuery } from './assessment-performance.query.js';
import { AssessmentPerformanceQueryDto } from './assessment-performance-query.dto.js';

/** How well the credit assessment predicted who fell behind, derived from the event log up to a close of business. */
@ApiTags('reports')
@Roles('auditor', 'viewer')
@Controller()
export class AssessmentPerformanceController {
  constructor(private readonly queries: QueryBus) {}

  @Get('reports/assessment-performance')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'Bad rates by grade and score band, AUC, Gini, KS, PSI and vintages; x-content-sha256 is the SHA-256 of the body' })
  @ApiConflictResponse({ description: 'REPORT.NOT_CLOSED: the date has not been closed by close of business' })
  async assessmentPerformance(@Query() query: AssessmentPerformanceQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const request = new AssessmentPerformanceQuery(query.asOf, query.outcome ?? 'dpd30', query.window ?? DEFAULT_WINDOW_MONTHS, query.format ?? 'json');
    return sendReport(reply, await this.queries.execute(request));
  }
}
