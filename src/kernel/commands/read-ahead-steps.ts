import type { Decider, DomainEvent } from '../decider.js';
import type { AppendResult, EventStore } from '../event-store/event-store.port.js';
import type { CommandOutcome } from './command-outcome.js';
import type { CommandRequest } from './command-request.js';
import type { CommandSteps } from './command-steps.js';
import type { Prepared, ToAppend } from './decide-command.js';
import { decideOnStateThatMayBeBehind } from './decide-on-state-that-may-be-behind.js';
import { type LoadedAggregate, aggregateFrom } from './load-aggregate.js';

/** A store that hands over what it read ahead (EventStore.takeReadAhead), and can let go of it (dropReadAhead). */
export type StoreReadingAhead = EventStore & Required<Pick<EventStore, 'takeReadAhead' | 'dropReadAhead'>>;

/** Whether the store hands over what it reads ahead: only then does a batch need ReadAheadSteps. */
export function handsOverReadAhead(store: EventStore): store is StoreReadingAhead {
  return store.takeReadAhead !== undefined && store.dropReadAhead !== undefined;
}

/**
 * Wraps the command loop's steps for a batch whose streams were named to the store ahead
 * (CommandPipeline.readAhead, close of business a page at a time): a stream the store read
 * meanwhile is loaded from what it read, with no read of its own, and the command's
 * idempotency lookup uses where the store found its first event id then. That state may be
 * behind the stream: decided as one the pipeline kept would be (an append at its revision,
 * refused if the stream moved; an answer without an append confirmed against the store
 * first). A stream not read ahead is loaded by the steps it wraps.
 */
export class ReadAheadSteps implements CommandSteps {
  constructor(
    private readonly inner: CommandSteps,
    private readonly store: StoreReadingAhead,
  ) {}

  async load<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>, stream: string): Promise<LoadedAggregate<TState>> {
    const read = this.store.takeReadAhead(stream, decider.snapshotting?.schema);
    if (!read) return this.inner.load(decider, stream);
    const { snapshot, tail, eventId, eventLocation } = read;
    return { ...aggregateFrom(decider, snapshot, tail), readAhead: { eventId, eventLocation } };
  }

  decide<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    loaded: LoadedAggregate<TState>,
    request: CommandRequest<TCommand>,
  ): Promise<Prepared<TEvent, TState>> {
    if (!loaded.readAhead) return this.inner.decide(decider, loaded, request);
    return decideOnStateThatMayBeBehind(this.inner, this.store, decider, loaded, request, () => this.inner.load(decider, request.stream));
  }

  answer<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    prepared: ToAppend<TState>,
    appended: AppendResult,
  ): Promise<CommandOutcome<TEvent, TState>> {
    return this.inner.answer(decider, prepared, appended);
  }

  /** Lets go of what was read ahead of the stream too: whatever comes next loads it from the store. */
  forget(stream: string): void {
    this.store.dropReadAhead(stream);
    this.inner.forget(stream);
  }
}
