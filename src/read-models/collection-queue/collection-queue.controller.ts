import { Controller, Get, Query } from '@nestjs/common';
import { Roles } from '../../auth/access.decorators.js';
import { READERS } from '../../auth/roles.js';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CollectionQueueReader } from './collection-queue.reader.js';
import { CollectionQueueDto, CollectionQueueQueryDto } from './collection-queue.dto.js';

@ApiTags('collections')
@Roles(...READERS)
@Controller('collections')
export class CollectionQueueController {
  constructor(private readonly queue: CollectionQueueReader) {}

  @Get('queue')
  @ApiOkResponse({ type: CollectionQueueDto })
  page(@Query() query: CollectionQueueQueryDto): Promise<CollectionQueueDto> {
    return this.queue.page(query);
  }
}
