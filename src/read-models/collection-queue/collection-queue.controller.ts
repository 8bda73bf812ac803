import { Controller, Get, Query } from '@nestjs/common';
import { Roles } from '../../auth/access.decorators.js';
import { READERS } from '../../auth/roles.js';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import { CollectionQueuePageQuery } from './collection-queue-page.query.js';
import { CollectionQueueDto, CollectionQueueQueryDto } from './collection-queue.dto.js';

@ApiTags('collections')
@Roles(...READERS)
@Controller('collections')
export class CollectionQueueController {
  constructor(private readonly queries: QueryBus) {}

  @Get('queue')
  @ApiOkResponse({ type: CollectionQueueDto })
  page(@Query() query: CollectionQueueQueryDto): Promise<CollectionQueueDto> {
    return this.queries.execute(new CollectionQueuePageQuery(query));
  }
}
