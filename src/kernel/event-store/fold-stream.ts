import type { Decider, DomainEvent } from '../decider.js';
import type { StoredEvent } from './event-store.port.js';

/** An aggregate's state from its stored events (after `from`, a snapshot's state): the one place a stream is folded. */
export function foldStream<TCommand, TEvent extends DomainEvent, TState>(
  decider: Decider<TCommand, TEvent, TState>,
  history: readonly StoredEvent[],
  from: TState = decider.initialState(),
): TState {
  if (decider.fold) return decider.fold(from, history.map((stored) => ({ type: stored.type, data: stored.data }) as TEvent));
  return history.reduce((state, stored) => decider.evolve(state, { type: stored.type, data: stored.data } as TEvent), from);
}
