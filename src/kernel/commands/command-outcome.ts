import type { DomainEvent } from '../decider.js';
import type { StoredEvent, StreamRevision } from '../event-store/event-store.port.js';

export interface CommandOutcome<TEvent extends DomainEvent, TState> {
  readonly stream: string;
  /** The events this command produced: now, or the first time it was handled. */
  readonly events: readonly StoredEvent<TEvent['data']>[];
  readonly state: TState;
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  readonly revision: StreamRevision;
  /** True when this command id had been handled before and nothing was appended. */
  readonly repeated: boolean;
}
