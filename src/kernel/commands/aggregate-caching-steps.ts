import type { Decider, DomainEvent } from '../decider.js';
import type { AppendResult, EventStore } from '../event-store/event-store.port.js';
import { AggregateCache } from './aggregate-cache.js';
import type { CommandOutcome } from './command-outcome.js';
import type { CommandRequest } from './command-request.js';
import type { CommandSteps } from './command-steps.js';
import type { Prepared, ToAppend } from './decide-command.js';
import type { LoadedAggregate } from './load-aggregate.js';
import { isRefusalByDecider } from './refusal-by-decider.js';

/**
 * Wraps the command loop's steps with the states of the aggregates this process last wrote
 * or loaded (AggregateCache, `CACHED_AGGREGATES`): the next command on a busy loan is decided
 * on the kept state without reading the store first. Should another process have appended
 * since, an append decided on it is refused for its expected revision and decided again
 * (the loop does not count that as an attempt). An answer without an append (a refusal, a
 * repeat, nothing to do) is given only once the store confirms the stream still ends where
 * the kept state does; otherwise the command is decided a second time, on the store's state.
 */
export class AggregateCachingSteps implements CommandSteps {
  private readonly aggregates: AggregateCache;

  constructor(
    private readonly inner: CommandSteps,
    private readonly store: EventStore,
    capacity: number,
  ) {
    this.aggregates = new AggregateCache(capacity);
  }

  /** The aggregate as this process last left it (no read at all); else from the store, and kept. */
  async load<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>, stream: string): Promise<LoadedAggregate<TState>> {
    const cached = this.aggregates.get<TState>(decider, stream);
    if (cached) return { ...cached, tail: [], fromCache: true };
    const loaded = await this.inner.load(decider, stream);
    const { state, revision, snapshotRevision } = loaded;
    if (revision >= 0) this.aggregates.set(decider, stream, { state, revision, snapshotRevision });
    return loaded;
  }

  async decide<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    loaded: LoadedAggregate<TState>,
    request: CommandRequest<TCommand>,
  ): Promise<Prepared<TEvent, TState>> {
    const { stream } = request;
    try {
      const prepared = await this.inner.decide(decider, loaded, request);
      if (!prepared.answered || (await this.stillCurrent(stream, loaded))) return prepared;
    } catch (error) {
      if (!isRefusalByDecider(error) || (await this.stillCurrent(stream, loaded))) throw error;
    }
    this.forget(stream);
    return this.inner.decide(decider, await this.load(decider, stream), request);
  }

  answer<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    prepared: ToAppend<TState>,
    appended: AppendResult,
  ): Promise<CommandOutcome<TEvent, TState>> {
    const { stream } = prepared.append;
    this.aggregates.set(decider, stream, { state: prepared.state, revision: appended.nextExpectedRevision, snapshotRevision: prepared.snapshotRevision });
    return this.inner.answer(decider, prepared, appended);
  }

  forget(stream: string): void {
    this.aggregates.forget(stream);
    this.inner.forget(stream);
  }

  /**
   * An aggregate's state as its stream ends now, for a read: the kept state when the stream
   * has not moved since (one look at its revision, instead of parsing its snapshot and
   * folding the events after it), else loaded and kept for the next command or read. States
   * are immutable, so a kept one is shared safely.
   */
  async currentState<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>, stream: string): Promise<TState> {
    const kept = this.aggregates.get<TState>(decider, stream);
    if (kept && (await this.store.streamRevision(stream)) === kept.revision) return kept.state;
    if (kept) this.aggregates.forget(stream);
    return (await this.load(decider, stream)).state;
  }

  /** Whether a loaded state is the stream's current one: always, unless it is one this process kept. */
  private async stillCurrent(stream: string, loaded: LoadedAggregate<unknown>): Promise<boolean> {
    return !loaded.fromCache || (await this.store.streamRevision(stream)) === loaded.revision;
  }
}
