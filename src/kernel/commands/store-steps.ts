import type { Decider, DomainEvent } from '../decider.js';
import type { AppendResult, EventStore } from '../event-store/event-store.port.js';
import type { EventUpcasters } from '../event-store/event-upcasters.js';
import type { CommandOutcome } from './command-outcome.js';
import type { CommandRequest } from './command-request.js';
import type { CommandSteps } from './command-steps.js';
import { type Prepared, type ToAppend, decideCommand } from './decide-command.js';
import { type LoadedAggregate, loadAggregate } from './load-aggregate.js';

/** The command loop's steps with nothing kept between commands: every state is loaded from the store. */
export class StoreSteps implements CommandSteps {
  constructor(
    private readonly store: EventStore,
    private readonly schemas: EventUpcasters,
  ) {}

  load<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>, stream: string): Promise<LoadedAggregate<TState>> {
    return loadAggregate(this.store, decider, stream);
  }

  decide<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    loaded: LoadedAggregate<TState>,
    request: CommandRequest<TCommand>,
  ): Promise<Prepared<TEvent, TState>> {
    return decideCommand(this.store, this.schemas, decider, loaded, request);
  }

  async answer<TCommand, TEvent extends DomainEvent, TState>(
    _decider: Decider<TCommand, TEvent, TState>,
    prepared: ToAppend<TState>,
    appended: AppendResult,
  ): Promise<CommandOutcome<TEvent, TState>> {
    const { stream, events } = prepared.append;
    // Read back only where the store did not hand the stored events over.
    const stored = events.length === 0 ? [] : (appended.events ?? (await this.store.readStream(stream, prepared.revision + 1)));
    return {
      stream,
      events: stored.slice(0, events.length),
      state: prepared.state,
      revision: appended.nextExpectedRevision,
      repeated: false,
    };
  }

  forget(): void {}
}
