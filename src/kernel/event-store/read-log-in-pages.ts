import type { EventStore, GlobalPosition, StoredEvent } from './event-store.port.js';

/**
 * Every event after `after` up to `until` (inclusive), in order, at most `pageSize` a page:
 * read ahead by the store where it can (EventStore.readLogAhead), else by readAll a page at
 * a time.
 */
export async function* readLogInPages(events: EventStore, after: GlobalPosition, until: GlobalPosition, pageSize: number): AsyncGenerator<StoredEvent[]> {
  if (events.readLogAhead) {
    yield* events.readLogAhead(after, until, pageSize);
    return;
  }
  for (let position = after; position < until; ) {
    const page = (await events.readAll(position, pageSize)).filter((event) => event.position <= until);
    if (page.length === 0) return;
    yield page;
    position = page.at(-1)!.position;
  }
}
