import type { EventStore, StoredEvent } from '../event-store/event-store.port.js';
import { commandEventId } from './command-event-id.js';
import { CommandIdReusedError } from './command-id-reused.error.js';
import type { CommandRequest } from './command-request.js';
import type { LoadedAggregate } from './load-aggregate.js';

/**
 * The idempotency lookup: the events this command id already produced on the stream, empty
 * when it is new. A handled command's first event has an id derived from the command id
 * (prepareAppend), so finding it needs no look into any event's metadata, and no read of
 * the events a snapshot stands for (nor any look-up, where the store found it, or not, when
 * it read the stream ahead). The same id with another command is refused.
 */
export async function earlierEventsOf(
  store: EventStore,
  { stream, context: { commandId }, hash }: CommandRequest<unknown>,
  loaded: LoadedAggregate<unknown>,
): Promise<StoredEvent[]> {
  const firstEventId = commandEventId(stream, commandId, 0);
  const inTail = loaded.tail.findIndex((e) => e.id === firstEventId);
  const eventsBeforeTail = loaded.revision - loaded.tail.length >= 0;
  let from: readonly StoredEvent[] = [];
  if (inTail >= 0) {
    from = loaded.tail.slice(inTail);
  } else if (eventsBeforeTail) {
    // Where the stream was read ahead, the lookup was made with it.
    const readAhead = loaded.readAhead?.eventId === firstEventId ? loaded.readAhead : undefined;
    const location = readAhead ? readAhead.eventLocation : await store.locateEvent(firstEventId, stream);
    if (location) from = await store.readStream(stream, location.revision);
  }
  const earlier = from.filter((e) => e.metadata['commandId'] === commandId);
  if (earlier.length > 0 && earlier[0]!.metadata['commandHash'] !== hash) throw new CommandIdReusedError(commandId);
  return earlier;
}
