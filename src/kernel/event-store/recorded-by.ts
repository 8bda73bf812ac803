import type { StoredEvent } from './event-store.port.js';

/** The events recorded at or before an instant (ISO 8601 with offset): what the system knew then. All when no instant is given. */
export function recordedBy<T extends StoredEvent>(events: readonly T[], knownAt: string | undefined): readonly T[] {
  if (knownAt === undefined) return events;
  const limit = Date.parse(knownAt);
  return events.filter((event) => Date.parse(event.recordedAt) <= limit);
}
