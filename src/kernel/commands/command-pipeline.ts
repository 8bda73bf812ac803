import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Decider, DomainEvent } from '../decider.js';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  StoredEvent,
  StreamAppend,
  StreamRevision,
} from '../event-store/event-store.port.js';
import { WrongExpectedRevisionError } from '../event-store/wrong-expected-revision.error.js';
import { EventIdReusedError } from '../event-store/event-id-reused.error.js';
import { DomainError } from '../errors/domain-error.js';
import type { CommandContext, CommandEventMetadata } from './command-context.js';
import { commandHash } from './command-hash.js';
import { commandEventId } from './command-event-id.js';
import { CommandIdReusedError } from './command-id-reused.error.js';
import { type LoadedAggregate, loadAggregate } from './load-aggregate.js';
import { AggregateCache } from './aggregate-cache.js';
import { isSnapshotDue } from '../snapshotting.js';
import { type EventUpcasters, NO_UPCASTERS } from '../event-store/event-upcasters.js';

/** A domain error from deciding (or a reused command id), not a store refusing the append. */
function isRefusalByDecider(error: unknown): boolean {
  return error instanceof DomainError && !(error instanceof WrongExpectedRevisionError) && !(error instanceof EventIdReusedError);
}

export interface CommandPipelineOptions {
  /** How many times load → decide → append is tried when another writer got there first. */
  maxAttempts: number;
  /** The version each event type is written in (recorded as `schemaVersion`); every type at 1 when absent. */
  schemas?: EventUpcasters;
  /** How many aggregates' states are kept between commands (AggregateCache); none when absent or 0. */
  cachedAggregates?: number;
}

export interface CommandOutcome<TEvent extends DomainEvent, TState> {
  readonly stream: string;
  /** The events this command produced: now, or the first time it was handled. */
  readonly events: readonly StoredEvent<TEvent['data']>[];
  readonly state: TState;
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  readonly revision: StreamRevision;
  /** True when this command id had been handled before and nothing was appended. */
  readonly repeated: boolean;
}

/** One command of a batch (CommandPipeline.runBatch): each on a stream of its own. */
export interface StreamCommand<TCommand> {
  readonly stream: string;
  readonly command: TCommand;
  readonly context: CommandContext;
  readonly fingerprint?: unknown;
}

export interface BatchOptions {
  /**
   * Give the event loop a turn after deciding this many commands: the embedded store
   * answers synchronously, so a large batch would otherwise hold up HTTP requests. A
   * command that lands meanwhile on a stream of the batch only sends that one command
   * round again on its own.
   */
  readonly yieldEvery?: number;
}

/** A command loaded and decided, ready to append; or already answered (a repeat, or nothing to do). */
type Prepared<TEvent extends DomainEvent, TState> =
  | { readonly answered: CommandOutcome<TEvent, TState> }
  | {
      readonly answered?: undefined;
      readonly append: StreamAppend;
      readonly revision: StreamRevision;
      readonly state: TState;
      /** The newest snapshot's revision once the append is done. */
      readonly snapshotRevision: StreamRevision;
      /** Decided on the state this process kept (AggregateCache), not on one just loaded from the store. */
      readonly fromCache: boolean;
    };

/**
 * The path every command takes, for every aggregate: load the stream (from the state this
 * process last left it in, or from its snapshot when the decider keeps them), decide (pure),
 * append with the expected revision and a snapshot of the new state; on a concurrency
 * conflict, start again.
 */
export class CommandPipeline {
  private readonly schemas: EventUpcasters;
  /** Per stream, the last command queued on it in this process (see `inTurn`). */
  private readonly streamQueues = new Map<string, Promise<unknown>>();
  private readonly aggregates: AggregateCache;

  constructor(
    private readonly store: EventStore,
    private readonly options: CommandPipelineOptions,
  ) {
    this.schemas = options.schemas ?? NO_UPCASTERS;
    this.aggregates = new AggregateCache(options.cachedAggregates ?? 0);
  }

  /**
   * `fingerprint` is what makes two requests the same command: by default the command
   * itself; a shell that adds its own facts (the clock, the policy in force) passes the
   * client's request instead, so a retry is recognised whatever those facts are by then.
   */
  async run<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    stream: string,
    command: TCommand,
    context: CommandContext,
    fingerprint: unknown = command,
  ): Promise<CommandOutcome<TEvent, TState>> {
    const hash = commandHash(fingerprint);
    return this.inTurn(stream, async () => {
      for (let attempt = 1; ; ) {
        let decidedOnCache = false;
        try {
          const prepared = await this.prepare(decider, stream, command, context, hash);
          if (prepared.answered) return prepared.answered;
          decidedOnCache = prepared.fromCache;
          const { append } = prepared;
          const appended = await this.store.appendToStream(append.stream, append.events, append.expectedRevision, append);
          return await this.outcomeOf(decider, prepared, appended);
        } catch (error) {
          // A conflict, or an append whose fate is unknown: the next attempt loads from the store.
          // (A command the decider refused was decided on a current state, which stays.)
          if (!isRefusalByDecider(error)) this.aggregates.forget(stream);
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          // A kept state another process has since moved past is not another writer racing
          // this command: deciding again on the store's state does not use up an attempt.
          if (!decidedOnCache && ++attempt > this.options.maxAttempts) throw error;
        }
      }
    });
  }

  /**
   * Runs `work` once every command queued before it on `stream` in this process has
   * finished. Without it, commands on one stream that arrive together (many payments into
   * one loan) all load the same revision whenever the store's reads and appends are real
   * I/O (EventStoreDB): one appends, the rest conflict and load again, and with enough of
   * them some run out of attempts and a valid command is refused with a spurious 409.
   * Taking turns makes each load see its predecessor's append, so the conflicts left are
   * those with other processes, which the attempts are for. Streams stay independent.
   */
  private async inTurn<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const before = this.streamQueues.get(stream);
    const result = before ? before.then(work) : work();
    const queued = result.catch(() => undefined);
    this.streamQueues.set(stream, queued);
    try {
      return await result;
    } finally {
      if (this.streamQueues.get(stream) === queued) this.streamQueues.delete(stream);
    }
  }

  /**
   * Commands on distinct streams, decided one by one and appended together: where the store
   * commits a batch at once, a run over many aggregates (close of business) pays for one
   * durable commit instead of one per command. A command whose stream moved meanwhile is
   * run again on its own; a rejected command rejects the batch, which appends nothing.
   */
  async runBatch<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    commands: readonly StreamCommand<TCommand>[],
    options: BatchOptions = {},
  ): Promise<CommandOutcome<TEvent, TState>[]> {
    const prepared: Prepared<TEvent, TState>[] = [];
    for (const { stream, command, context, fingerprint = command } of commands) {
      prepared.push(await this.prepare(decider, stream, command, context, commandHash(fingerprint)));
      if (options.yieldEvery && prepared.length % options.yieldEvery === 0) await yieldToEventLoop();
    }
    const pending = prepared.flatMap((p, index) => (p.answered ? [] : [{ index, prepared: p }]));
    const appended = await this.store.appendToStreams(pending.map(({ prepared }) => prepared.append));
    const outcomes = prepared.map((p) => p.answered);
    for (const [i, { index, prepared }] of pending.entries()) {
      const result = appended[i]!;
      const { stream, command, context, fingerprint } = commands[index]!;
      if (result.appended) {
        outcomes[index] = await this.outcomeOf(decider, prepared, result.appended);
      } else {
        this.aggregates.forget(stream);
        outcomes[index] = await this.run(decider, stream, command, context, fingerprint);
      }
    }
    return outcomes as CommandOutcome<TEvent, TState>[];
  }

  /**
   * Loads and decides. A state this process kept is used without asking the store first:
   * should another process have appended since, an append decided on it is refused for its
   * expected revision and decided again (see `run`). An answer without an append (a refusal,
   * a repeat, nothing to do) is given only once the store confirms the stream still ends
   * where the kept state does; otherwise the command is decided again on the store's state.
   */
  private async prepare<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    stream: string,
    command: TCommand,
    context: CommandContext,
    hash: string,
  ): Promise<Prepared<TEvent, TState>> {
    const loaded = await this.load(decider, stream);
    try {
      const prepared = await this.decideOn(decider, loaded, stream, command, context, hash);
      if (!prepared.answered || (await this.stillCurrent(stream, loaded))) return prepared;
    } catch (error) {
      if (!isRefusalByDecider(error) || (await this.stillCurrent(stream, loaded))) throw error;
    }
    this.aggregates.forget(stream);
    return this.decideOn(decider, await this.load(decider, stream), stream, command, context, hash);
  }

  /** Whether a loaded state is the stream's current one: always, unless it is one this process kept. */
  private async stillCurrent(stream: string, loaded: LoadedAggregate<unknown>): Promise<boolean> {
    return !loaded.fromCache || (await this.store.streamRevision(stream)) === loaded.revision;
  }

  private async decideOn<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    loaded: LoadedAggregate<TState>,
    stream: string,
    command: TCommand,
    context: CommandContext,
    hash: string,
  ): Promise<Prepared<TEvent, TState>> {
    const { state, revision } = loaded;

    const firstEventId = commandEventId(stream, context.commandId, 0);
    const earlier = await this.earlierEventsOf(context.commandId, firstEventId, stream, loaded);
    if (earlier.length > 0) {
      if (earlier[0]!.metadata['commandHash'] !== hash) throw new CommandIdReusedError(context.commandId);
      return { answered: { stream, events: earlier, state, revision, repeated: true } };
    }

    const decided = decider.decide(command, state);
    const after = decided.reduce(decider.evolve, state);
    const snapshotting = decider.snapshotting;
    const revisionAfter = revision + decided.length;
    // Due even when the command changes nothing: the next load then reads less.
    const snapshot =
      snapshotting && revisionAfter >= 0 && isSnapshotDue(snapshotting, revisionAfter - loaded.snapshotRevision)
        ? { schema: snapshotting.schema, state: snapshotting.toSnapshot(after) }
        : undefined;
    if (decided.length === 0 && !snapshot) {
      return { answered: { stream, events: [], state, revision, repeated: false } };
    }

    const events: EventToAppend[] = decided.map((event, index) => ({
      id: index === 0 ? firstEventId : commandEventId(stream, context.commandId, index),
      type: event.type,
      data: event.data,
      metadata: { ...context, commandHash: hash, schemaVersion: this.schemas.currentVersionOf(event.type) } satisfies CommandEventMetadata,
    }));
    const expectedRevision: ExpectedRevision = revision < 0 ? 'no-stream' : revision;
    return {
      append: { stream, events, expectedRevision, snapshot },
      revision,
      state: after,
      snapshotRevision: snapshot ? revisionAfter : loaded.snapshotRevision,
      fromCache: loaded.fromCache === true,
    };
  }

  /**
   * An aggregate's state as its stream ends now, for a read: the state this process keeps
   * when the stream has not moved since (one look at its revision, instead of parsing its
   * snapshot and folding the events after it), else loaded and kept for the next command
   * or read. States are immutable, so a kept one is shared safely.
   */
  async currentState<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>, stream: string): Promise<TState> {
    const kept = this.aggregates.get<TState>(decider, stream);
    if (kept && (await this.store.streamRevision(stream)) === kept.revision) return kept.state;
    if (kept) this.aggregates.forget(stream);
    return (await this.load(decider, stream)).state;
  }

  /** The aggregate as this process last left it (no read at all, see `prepare`); else from the store. */
  private async load<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    stream: string,
  ): Promise<LoadedAggregate<TState>> {
    const cached = this.aggregates.get<TState>(decider, stream);
    if (cached) return { ...cached, tail: [], fromCache: true };
    const loaded = await loadAggregate(this.store, decider, stream);
    const { state, revision, snapshotRevision } = loaded;
    if (revision >= 0) this.aggregates.set(decider, stream, { state, revision, snapshotRevision });
    return loaded;
  }

  /**
   * The events a command id already produced on this stream. A handled command's first
   * event has an id derived from the command id, so finding it needs no look into any
   * event's metadata, and no read of the events a snapshot stands for.
   */
  private async earlierEventsOf<TState>(
    commandId: string,
    firstEventId: string,
    stream: string,
    loaded: LoadedAggregate<TState>,
  ): Promise<StoredEvent[]> {
    const inTail = loaded.tail.findIndex((e) => e.id === firstEventId);
    const eventsBeforeTail = loaded.revision - loaded.tail.length >= 0;
    let from: readonly StoredEvent[] = [];
    if (inTail >= 0) {
      from = loaded.tail.slice(inTail);
    } else if (eventsBeforeTail) {
      const location = await this.store.locateEvent(firstEventId, stream);
      if (location) from = await this.store.readStream(stream, location.revision);
    }
    return from.filter((e) => e.metadata['commandId'] === commandId);
  }

  private async outcomeOf<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    prepared: Exclude<Prepared<TEvent, TState>, { answered: CommandOutcome<TEvent, TState> }>,
    appended: AppendResult,
  ): Promise<CommandOutcome<TEvent, TState>> {
    const { stream, events } = prepared.append;
    const revisionAfter = appended.nextExpectedRevision;
    this.aggregates.set(decider, stream, { state: prepared.state, revision: revisionAfter, snapshotRevision: prepared.snapshotRevision });
    // Read back only where the store did not hand the stored events over.
    const stored = events.length === 0 ? [] : (appended.events ?? (await this.store.readStream(stream, prepared.revision + 1)));
    return {
      stream,
      events: stored.slice(0, events.length),
      state: prepared.state,
      revision: revisionAfter,
      repeated: false,
    };
  }
}
