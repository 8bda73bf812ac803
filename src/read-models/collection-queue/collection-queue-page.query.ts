import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CollectionQueueDto, CollectionQueueQueryDto } from './collection-queue.dto.js';
import { CollectionQueueReader } from './collection-queue.reader.js';

/** A page of the collection queue: a broken promise first, then days past due descending. */
export class CollectionQueuePageQuery extends Query<CollectionQueueDto> {
  constructor(readonly query: CollectionQueueQueryDto) {
    super();
  }
}

@QueryHandler(CollectionQueuePageQuery)
export class CollectionQueuePageQueryHandler implements IQueryHandler<CollectionQueuePageQuery> {
  constructor(private readonly queue: CollectionQueueReader) {}

  execute({ query }: CollectionQueuePageQuery): Promise<CollectionQueueDto> {
    return this.queue.page(query);
  }
}
