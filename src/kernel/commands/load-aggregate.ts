import type { Decider, DomainEvent } from '../decider.js';
import type { EventLocation, EventStore, StoredEvent, StreamRevision, StreamSnapshot } from '../event-store/event-store.port.js';
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
  /**
   * Read ahead of the command, elsewhere (EventStore.takeReadAhead), not just now: it may be
   * behind the stream. With it, where the command's first event id was stored then, which the
   * idempotency lookup need not look for again.
   */
  readonly readAhead?: { readonly eventId: string; readonly eventLocation: EventLocation | undefined };
}

/** Whether a loaded state may be behind its stream: one the pipeline kept, or one read ahead of the command. */
export function mayBeBehind(loaded: LoadedAggregate<unknown>): boolean {
  return loaded.fromCache === true || loaded.readAhead !== undefined;
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
  return aggregateFrom(decider, snapshot, tail);
}

/** The aggregate a snapshot (of the decider's schema, where it keeps them) and the events after it make. */
export function aggregateFrom<TCommand, TEvent extends DomainEvent, TState>(
  decider: Decider<TCommand, TEvent, TState>,
  snapshot: StreamSnapshot | undefined,
  tail: readonly StoredEvent[],
): LoadedAggregate<TState> {
  // A snapshot of the decider's schema: there is none where it keeps none.
  const from = snapshot ? decider.snapshotting!.fromSnapshot(snapshot.state) : decider.initialState();
  return {
    state: foldStream(decider, tail, from),
    revision: tail.at(-1)?.revision ?? snapshot?.revision ?? -1,
    tail,
    snapshotRevision: snapshot?.revision ?? -1,
  };
}
