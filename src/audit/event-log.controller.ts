import { Controller, Get, Param } from '@nestjs/common';
import { Roles } from '../auth/access.decorators.js';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BorrowerIdParams } from '../http/borrower-id.params.js';
import { collectionStream } from '../collections/domain/collection-events.js';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { loanStream } from '../loans/domain/loan-events.js';
import { LoanIdParams } from '../http/loan-route-params.dto.js';
import { QueryBus } from '@nestjs/cqrs';
import { StreamEventsQuery } from './stream-events.query.js';
import { EventLogDto } from './event-log.dto.js';

@ApiTags('audit')
@Roles('auditor')
@Controller()
export class EventLogController {
  constructor(private readonly queries: QueryBus) {}

  @Get('loans/:loanId/events')
  @ApiOkResponse({ type: EventLogDto, description: "Every event of the loan's stream, in order" })
  @ApiNotFoundResponse()
  loanEvents(@Param() { loanId }: LoanIdParams): Promise<EventLogDto> {
    return this.queries.execute(new StreamEventsQuery(loanStream(loanId), () => new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}`, { loanId })));
  }

  @Get('borrowers/:borrowerId/collection-events')
  @ApiOkResponse({ type: EventLogDto, description: "Every collection event of the borrower's stream, in order" })
  @ApiNotFoundResponse()
  collectionEvents(@Param() { borrowerId }: BorrowerIdParams): Promise<EventLogDto> {
    return this.queries.execute(
      new StreamEventsQuery(
        collectionStream(borrowerId),
        () => new NotFoundError('COLLECTIONS.NO_HISTORY', `No collection events for borrower ${borrowerId}`, { borrowerId }),
      ),
    );
  }
}
