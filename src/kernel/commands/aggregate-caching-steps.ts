import type { Decider, DomainEvent } from '../decider.js';
import type { AppendResult, EventStore } from '../event-store/event-store.port.js';
import { AggregateCache } from './aggregate-cache.js';
import type { CommandOutcome } from './command-outcome.js';
import type { CommandRequest } from './command-request.js';
import type { CommandSteps } from './command-steps.js';
import type { Prepared, ToAppend } from './decide-command.js';
import type { LoadedAggregate } from './load-aggregate.js';
import { decideOnStateThatMayBeBehind } from './decide-on-state-that-may-be-behind.js';

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
  private constructor(
    private readonly inner: CommandSteps,
    private readonly store: EventStore,
    private readonly aggregates: AggregateCache,
    /** Whether a state loaded or written for a stream not kept yet is kept (else only those kept already are brought up to date). */
    private readonly keepsNewStreams: boolean,
  ) {}

  static keeping(inner: CommandSteps, store: EventStore, capacity: number): AggregateCachingSteps {
    return new AggregateCachingSteps(inner, store, new AggregateCache(capacity), true);
  }

  /**
   * The same kept states, for a run that visits each stream once (close of business, through
   * CommandPipeline.runBatch): it uses them and brings them up to date, but keeps no others.
   * Keeping every loan it visits would push out the states of the loans in use (a day's
   * payments) for states not wanted again until the next close (a million-loan close
   * visits 100,000 loans: 90,000 evictions at the default capacity), each carried into the
   * heap's old generation on the way. Filling only the room left, pushing none out, was
   * tried: the million-loan close then took 31.1 s (21.9 s on a core, peak RSS 1.14 GB)
   * against 26.6 s (17.6 s, 0.87 GB) keeping none, one run each on one machine. The price:
   * a book whose close visits fewer loans than the capacity reloads them at its next close.
   * (A command run again on its own after a conflict takes the usual path, which may evict.)
   * `inner`: where the states not kept come from, by default the same steps as this one's.
   */
  visitingOnce(inner: CommandSteps = this.inner): AggregateCachingSteps {
    return new AggregateCachingSteps(inner, this.store, this.aggregates, false);
  }

  /** The aggregate as this process last left it (no read at all); else from the store, and kept (unless visiting once). */
  async load<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>, stream: string): Promise<LoadedAggregate<TState>> {
    const cached = this.aggregates.get<TState>(decider, stream);
    if (cached) return { ...cached, tail: [], fromCache: true };
    const loaded = await this.inner.load(decider, stream);
    const { state, revision, snapshotRevision } = loaded;
    if (revision >= 0 && this.keepsNewStreams) this.aggregates.set(decider, stream, { state, revision, snapshotRevision });
    return loaded;
  }

  decide<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    loaded: LoadedAggregate<TState>,
    request: CommandRequest<TCommand>,
  ): Promise<Prepared<TEvent, TState>> {
    if (!loaded.fromCache) return this.inner.decide(decider, loaded, request);
    const { stream } = request;
    return decideOnStateThatMayBeBehind(this.inner, this.store, decider, loaded, request, () => {
      this.forget(stream);
      return this.load(decider, stream);
    });
  }

  answer<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    prepared: ToAppend<TState>,
    appended: AppendResult,
  ): Promise<CommandOutcome<TEvent, TState>> {
    const { stream } = prepared.append;
    const aggregate = { state: prepared.state, revision: appended.nextExpectedRevision, snapshotRevision: prepared.snapshotRevision };
    if (this.keepsNewStreams) this.aggregates.set(decider, stream, aggregate);
    else this.aggregates.refresh(decider, stream, aggregate);
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
}
