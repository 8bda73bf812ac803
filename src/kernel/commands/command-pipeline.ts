import type { Decider, DomainEvent } from '../decider.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { type EventUpcasters, NO_UPCASTERS } from '../event-store/event-upcasters.js';
import { AggregateCachingSteps } from './aggregate-caching-steps.js';
import type { CommandContext } from './command-context.js';
import { commandEventId } from './command-event-id.js';
import { commandHash } from './command-hash.js';
import type { CommandOutcome } from './command-outcome.js';
import { loadAggregate } from './load-aggregate.js';
import { type BatchOptions, type StreamCommand, runBatch } from './run-batch.js';
import { type CommandLoop, runCommand } from './run-command.js';
import { ReadAheadSteps, handsOverReadAhead } from './read-ahead-steps.js';
import { StoreSteps } from './store-steps.js';
import { StreamQueue } from './stream-queue.js';
import type { StageTimer } from '../stage-timer.js';

export type { CommandOutcome } from './command-outcome.js';
export type { BatchOptions, StreamCommand } from './run-batch.js';

export interface CommandPipelineOptions {
  /** How many times load → decide → append is tried when another writer got there first. */
  maxAttempts: number;
  /** The version each event type is written in (recorded as `schemaVersion`); every type at 1 when absent. */
  schemas?: EventUpcasters;
  /** How many aggregates' states are kept between commands (AggregateCache); none when absent or 0. */
  cachedAggregates?: number;
  /** Times each step of a command when profiling (ARREARS_PROFILE_STAGES); none when absent. */
  stageTimer?: StageTimer;
  /** Waits between two attempts after a conflict (run-command.ts `pause`); none when absent. */
  pauseAfterConflict?: (attempt: number) => Promise<void>;
}

/**
 * The path every command takes, for every aggregate, composed: the plain loop
 * (run-command.ts: load → decide → append with expected revision → retry on conflict),
 * with the states it last wrote kept when asked (aggregate-caching-steps.ts), commands on
 * one stream taking turns (stream-queue.ts), and batches appended together (run-batch.ts).
 */
export class CommandPipeline {
  private readonly loop: CommandLoop;
  /**
   * The loop of batches, which visit each stream once: the states kept are used and kept
   * current, but none added (visitingOnce); a stream not kept is loaded from what the store
   * read ahead, where it did (ReadAheadSteps).
   */
  private readonly batchLoop: CommandLoop;
  private readonly queue = new StreamQueue();
  private readonly cache: AggregateCachingSteps | undefined;

  constructor(
    private readonly store: EventStore,
    options: CommandPipelineOptions,
  ) {
    const plain = new StoreSteps(store, options.schemas ?? NO_UPCASTERS);
    const cachedAggregates = options.cachedAggregates ?? 0;
    this.cache = cachedAggregates > 0 ? AggregateCachingSteps.keeping(plain, store, cachedAggregates) : undefined;
    this.loop = {
      store,
      steps: this.cache ?? plain,
      maxAttempts: options.maxAttempts,
      ...(options.stageTimer && { timer: options.stageTimer }),
      ...(options.pauseAfterConflict && { pause: options.pauseAfterConflict }),
    };
    const batchSteps = handsOverReadAhead(store) ? new ReadAheadSteps(plain, store) : plain;
    this.batchLoop = { ...this.loop, steps: this.cache?.visitingOnce(batchSteps) ?? batchSteps };
  }

  /**
   * `fingerprint` is what makes two requests the same command: by default the command
   * itself; a shell that adds its own facts (the clock, the policy in force) passes the
   * client's request instead, so a retry is recognised whatever those facts are by then.
   */
  run<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    stream: string,
    command: TCommand,
    context: CommandContext,
    fingerprint: unknown = command,
  ): Promise<CommandOutcome<TEvent, TState>> {
    const request = { stream, command, context, hash: commandHash(fingerprint) };
    return this.queue.inTurn(stream, () => runCommand(this.loop, decider, request));
  }

  /** Commands on distinct streams, appended together (run-batch.ts); one whose stream moved meanwhile runs again alone. */
  runBatch<TCommand, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    commands: readonly StreamCommand<TCommand>[],
    options: BatchOptions = {},
  ): Promise<CommandOutcome<TEvent, TState>[]> {
    return runBatch(this.batchLoop, decider, commands, options, ({ stream, command, context, fingerprint }) =>
      this.run(decider, stream, command, context, fingerprint),
    );
  }

  /**
   * Tells the store that these commands' streams are about to be loaded (EventStore.readAhead),
   * as the loads will read them: from the decider's snapshot, and the command's first event id
   * for the idempotency lookup. Close of business names its next page while deciding one;
   * runBatch then loads each from what the store read, where it hands that over.
   */
  readAhead<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>, commands: readonly StreamCommand<TCommand>[]): void {
    if (!this.store.readAhead) return;
    const snapshotSchema = decider.snapshotting?.schema;
    this.store.readAhead(commands.map(({ stream, context }) => ({ stream, snapshotSchema, eventId: commandEventId(stream, context.commandId, 0) })));
  }

  /** An aggregate's state as its stream ends now, for a read: the kept one while the stream has not moved since. */
  async currentState<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>, stream: string): Promise<TState> {
    if (this.cache) return this.cache.currentState(decider, stream);
    return (await loadAggregate(this.store, decider, stream)).state;
  }
}
