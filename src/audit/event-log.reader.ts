import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../kernel/event-store/event-store.port.js';
import type { EventLogDto, RecordedEventDto } from './event-log.dto.js';

/** A stream's events, every one, in order: the raw record an examiner starts from. */
@Injectable()
export class EventLogReader {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async stream(stream: string, notFound: () => NotFoundError): Promise<EventLogDto> {
    const events = await this.events.readStream(stream);
    if (events.length === 0) throw notFound();
    return { stream, events: events.map(recordedEvent) };
  }
}

export function recordedEvent(event: StoredEvent): RecordedEventDto {
  const text = (key: string) => (typeof event.metadata[key] === 'string' ? (event.metadata[key] as string) : null);
  return {
    type: event.type,
    data: event.data,
    revision: event.revision,
    position: event.position,
    recordedAt: event.recordedAt,
    actor: text('actor'),
    commandId: text('commandId'),
    correlationId: text('correlationId'),
    causationId: text('causationId'),
    metadata: event.metadata,
  };
}
