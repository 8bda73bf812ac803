import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { NotFoundError } from '../kernel/errors/domain-error.js';
import type { EventLogDto } from './event-log.dto.js';
import { EventLogReader } from './event-log.reader.js';

/** Every event of one stream, in order; `notFound` is the error for a stream with none. */
export class StreamEventsQuery extends Query<EventLogDto> {
  constructor(
    readonly stream: string,
    readonly notFound: () => NotFoundError,
  ) {
    super();
  }
}

@QueryHandler(StreamEventsQuery)
export class StreamEventsQueryHandler implements IQueryHandler<StreamEventsQuery> {
  constructor(private readonly reader: EventLogReader) {}

  execute({ stream, notFound }: StreamEventsQuery): Promise<EventLogDto> {
    return this.reader.stream(stream, notFound);
  }
}
