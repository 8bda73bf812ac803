import type { Snapshotting } from './snapshotting.js';

/**
 * An aggregate as a pure decider (initial state, evolve, decide), after the Decider pattern
 * as used in Emmett. No I/O, no clock, no randomness: the business date and ids come in
 * through the command, and `decide` rejects a command by throwing a DomainError.
 */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

export interface Decider<TCommand, TEvent extends DomainEvent, TState> {
  initialState(): TState;
  evolve(state: TState, event: TEvent): TState;
  decide(command: TCommand, state: TState): readonly TEvent[];
  /** Present when the aggregate's streams grow long enough for loading them to need snapshots. */
  readonly snapshotting?: Snapshotting<TState>;
}
