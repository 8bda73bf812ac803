import type { Decider, DomainEvent } from '../decider.js';
import type { EventStore, StoredEvent, StreamRevision } from '../event-store/event-store.port.js';
import { foldStream } from '../event-store/fold-stream.js';

export interface LoadedAggregate<TState> {
  readonly state: TState;
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  readonly revision: StreamRevision;
  /** The events read and folded: those after the snapshot, or the whole stream without one. */
  readonly tail: readonly StoredEvent[];
  /** Revision of the snapshot loading started from; -1 when it started from the initial state. */
  readonly snapshotRevision: StreamRevision;
  /** Taken from the states the command pipeline keeps, not read from the store: it may be behind the stream. */
  readonly fromCache?: boolean;
}

/** An aggregate's current state: its snapshot, when the decider keeps them, plus the events after it. */
export async function loadAggregate<TCommand, TEvent extends DomainEvent, TState>(
  store: EventStore,
  decider: Decider<TCommand, TEvent, TState>,
  stream: string,
): Promise<LoadedAggregate<TState>> {
  const snapshotting = decider.snapshotting;
  const snapshot = snapshotting && (await store.readSnapshot(stream, snapshotting.schema));
  // Read after the snapshot: an append in between is in the tail, and snapshots never move back.
  const tail = await store.readStream(stream, snapshot ? snapshot.revision + 1 : 0);
  const from = snapshot ? snapshotting.fromSnapshot(snapshot.state) : decider.initialState();
  return {
    state: foldStream(decider, tail, from),
    revision: tail.at(-1)?.revision ?? snapshot?.revision ?? -1,
    tail,
    snapshotRevision: snapshot?.revision ?? -1,
  };
}
