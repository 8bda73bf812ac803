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
  /**
   * The state after many events, exactly as `events.reduce(evolve, state)`: where evolve
   * copies something that grows with the stream (immutable states), a fold can avoid the
   * copies between events nobody sees, and load a long stream in linear time (foldStream).
   */
  fold?(state: TState, events: readonly TEvent[]): TState;
  decide(command: TCommand, state: TState): readonly TEvent[];
  /** Present when the aggregate's streams grow long enough for loading them to need snapshots. */
  readonly snapshotting?: Snapshotting<TState>;
}
