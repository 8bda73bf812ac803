import type { GlobalPosition } from './event-store.port.js';

/**
 * Published on the application's event bus after appends (the store's onAppended signal):
 * the log now holds every event up to `lastPosition`. A wake-up call for whoever shows
 * live data, never a source of truth: what was appended is read from the log.
 */
export class EventsAppended {
  constructor(readonly lastPosition: GlobalPosition) {}
}
