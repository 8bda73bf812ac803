import type { StoredEvent } from '../kernel/event-store/event-store.port.js';

/** An event of a loan as the dashboard's drill-down lists it. */
export interface TimelineEntry {
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly actor: string | null;
  readonly data: Record<string, unknown>;
}

/**
 * A loan's events for a viewer: what happened and when, with the borrower's personal data
 * (kept on the origination for credit-bureau reporting) left out. Auditors read the
 * events as recorded at /loans/{id}/events.
 */
export function loanTimeline(events: readonly StoredEvent[]): TimelineEntry[] {
  return events.map((event) => {
    const { borrower: _personalData, ...data } = event.data as Record<string, unknown>;
    const actor = event.metadata['actor'];
    return { revision: event.revision, type: event.type, recordedAt: event.recordedAt, actor: typeof actor === 'string' ? actor : null, data };
  });
}
