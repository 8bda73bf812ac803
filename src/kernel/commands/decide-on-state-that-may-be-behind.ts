import type { Decider, DomainEvent } from '../decider.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { CommandRequest } from './command-request.js';
import type { CommandSteps } from './command-steps.js';
import type { Prepared } from './decide-command.js';
import type { LoadedAggregate } from './load-aggregate.js';
import { isRefusalByDecider } from './refusal-by-decider.js';

/**
 * Decides a command on a state that may be behind the stream (one the pipeline kept, or one
 * read ahead of the command). An append decided on it needs no check: the store refuses it
 * if the stream moved. An answer without an append (a refusal, a repeat, nothing to do) is
 * given only once the store confirms the stream still ends where the state does; otherwise
 * the command is decided a second time, on the state `reload` reads from the store.
 */
export async function decideOnStateThatMayBeBehind<TCommand, TEvent extends DomainEvent, TState>(
  inner: CommandSteps,
  store: EventStore,
  decider: Decider<TCommand, TEvent, TState>,
  loaded: LoadedAggregate<TState>,
  request: CommandRequest<TCommand>,
  reload: () => Promise<LoadedAggregate<TState>>,
): Promise<Prepared<TEvent, TState>> {
  const stillCurrent = async () => (await store.streamRevision(request.stream)) === loaded.revision;
  try {
    const prepared = await inner.decide(decider, loaded, request);
    if (!prepared.answered || (await stillCurrent())) return prepared;
  } catch (error) {
    if (!isRefusalByDecider(error) || (await stillCurrent())) throw error;
  }
  return inner.decide(decider, await reload(), request);
}
