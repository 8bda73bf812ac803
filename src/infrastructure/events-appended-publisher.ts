import { type BeforeApplicationShutdown, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { EventsAppended } from '../kernel/event-store/events-appended.js';

/**
 * Feeds the Nest event bus from the event store's appended signal: one EventsAppended for
 * each position the store tells of. The bus only wakes listeners; the store stays the one
 * source of truth, so nothing is published before an append is durable.
 */
@Injectable()
export class EventsAppendedPublisher implements OnModuleInit, BeforeApplicationShutdown {
  private stopListening: (() => void) | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly eventBus: EventBus,
  ) {}

  onModuleInit(): void {
    this.stopListening ??= this.events.onAppended((lastPosition) => this.eventBus.publish(new EventsAppended(lastPosition)));
  }

  beforeApplicationShutdown(): void {
    this.stopListening?.();
    this.stopListening = undefined;
  }
}
