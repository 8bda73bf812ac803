import type { StoredEvent } from '../../kernel/event-store/event-store.port.js';
import type { CollectionEvent } from '../domain/collection-events.js';
import type { CollectionCommandOutcome } from './collection-command-runner.js';

export type CollectionEventType = CollectionEvent['type'];
export type CollectionEventData<T extends CollectionEventType> = Extract<CollectionEvent, { type: T }>['data'];

/**
 * The stored events of a collection command are the decider's CollectionEvents, each type
 * with its own data: this guard says so to the compiler once, instead of a cast at every caller.
 */
function isCollectionEvent<T extends CollectionEventType>(type: T) {
  return (event: StoredEvent<CollectionEvent['data']>): event is StoredEvent<CollectionEventData<T>> => event.type === type;
}

/** The data of every event of `type` the command recorded, in order. */
export function allRecorded<T extends CollectionEventType>(outcome: CollectionCommandOutcome, type: T): CollectionEventData<T>[] {
  return outcome.events.filter(isCollectionEvent(type)).map((event) => event.data);
}

/** The data of the first event of `type` the command recorded; the decider always records one for the command it answers. */
export function recordedData<T extends CollectionEventType>(outcome: CollectionCommandOutcome, type: T): CollectionEventData<T> {
  const event = outcome.events.find(isCollectionEvent(type));
  if (!event) throw new Error(`No ${type} among the events of the command on ${outcome.stream}`);
  return event.data;
}
