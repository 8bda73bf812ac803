import type { Decider, DomainEvent } from '../decider.js';
import type { AppendResult } from '../event-store/event-store.port.js';
import type { CommandOutcome } from './command-outcome.js';
import type { CommandRequest } from './command-request.js';
import type { Prepared, ToAppend } from './decide-command.js';
import type { LoadedAggregate } from './load-aggregate.js';

/**
 * The steps of the command loop (run-command.ts) that touch an aggregate's state, apart so
 * that a wrapper can change where states come from and where they go (aggregate-caching-steps.ts)
 * without the loop knowing: StoreSteps reads every state from the store.
 */
export interface CommandSteps {
  load<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>, stream: string): Promise<LoadedAggregate<TState>>;
  decide<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    loaded: LoadedAggregate<TState>,
    request: CommandRequest<TCommand>,
  ): Promise<Prepared<TEvent, TState>>;
  /** The outcome of an append the store made. */
  answer<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    prepared: ToAppend<TState>,
    appended: AppendResult,
  ): Promise<CommandOutcome<TEvent, TState>>;
  /** What was decided on the stream may be stale (a conflict, an append whose fate is unknown). */
  forget(stream: string): void;
}
