import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import { type EventStore, type EventSubscription, type GlobalPosition, START_OF_LOG, type StoredEvent } from '../../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from '../contract/projection.js';
import { batchesWhileReady } from './batches-while-ready.js';
import { FoldError, RowFoldError, applyBatchToDatabase } from './apply-row-families.js';
import { rebuildInMemory } from './rebuild-in-memory.js';
import type { SharedRebuild } from './shared-rebuild.js';
import { advanceCheckpoint, dropTables, readCheckpoint, writeCheckpoint } from './checkpoint-table.js';
import type { ProjectionFailure, ProjectionState, ProjectionStatus } from './projection-status.js';

export interface ProjectionRunnerOptions {
  batchSize: number;
  /** From position 0, fold the rows in memory and write them once (default true). */
  rebuildInMemory?: boolean;
  logger: Pick<Logger, 'info' | 'error'>;
  clock?: () => Date;
  /** Told, synchronously, whenever what status() answers may have changed. Must not throw. */
  onStatusChange?: () => void;
}

const PROGRESS_LOG_INTERVAL_MS = 5_000;

/** Another process moved this projection's checkpoint: the batch was rolled back. */
class CheckpointMovedError extends Error {}

type BatchOutcome = 'applied' | 'failed' | 'checkpoint-moved';

class ProjectionHandlerError extends Error {
  constructor(
    readonly event: StoredEvent,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * Feeds one projection from the global log. Rows and checkpoint are committed in one
 * read-model transaction per batch, so a crash leaves the projection at a batch boundary:
 * never an event applied twice, never one skipped.
 */
export class ProjectionRunner {
  #checkpoint: GlobalPosition = START_OF_LOG;
  #state: ProjectionState = 'idle';
  #failure: ProjectionFailure | undefined;
  private subscription: EventSubscription | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private readonly handled: ReadonlySet<string> | 'all';
  private readonly clock: () => Date;
  private lastProgressLogAt = 0;
  /** The rebuild from position 0 this runner takes part in with others, until it has its outcome. */
  private shared: SharedRebuild | undefined;

  constructor(
    readonly projection: Projection,
    private readonly events: EventStore,
    private readonly readModels: ReadModelDb,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.handled = projection.handles === 'all' ? 'all' : new Set(projection.handles);
    this.clock = options.clock ?? (() => new Date());
  }

  // What status() answers, each change told (options.onStatusChange): whoever reports the
  // statuses hears of a change at once instead of looking for one on a timer.
  private get checkpoint(): GlobalPosition {
    return this.#checkpoint;
  }
  private set checkpoint(position: GlobalPosition) {
    this.#checkpoint = position;
    this.options.onStatusChange?.();
  }
  private get state(): ProjectionState {
    return this.#state;
  }
  private set state(state: ProjectionState) {
    this.#state = state;
    this.options.onStatusChange?.();
  }
  private get failure(): ProjectionFailure | undefined {
    return this.#failure;
  }
  private set failure(failure: ProjectionFailure | undefined) {
    this.#failure = failure;
    this.options.onStatusChange?.();
  }

  status(): ProjectionStatus {
    const { name, version } = this.projection;
    return { name, version, checkpoint: this.checkpoint, state: this.state, ...(this.failure && { failure: this.failure }) };
  }

  /**
   * Prepares the tables (rebuilding them if the version changed), then catches up and
   * follows live appends. With `shared`, a rebuild from position 0 is done in one pass over
   * the log with the other projections that join it (see SharedRebuild).
   */
  async start(shared?: SharedRebuild): Promise<void> {
    await this.prepare();
    if (shared && this.checkpoint === START_OF_LOG && this.options.rebuildInMemory !== false) {
      shared.join(this.projection);
      this.shared = shared;
    }
    this.state = (await this.events.headPosition()) > this.checkpoint ? 'catching-up' : 'live';
    this.running = this.rebuildFromStart().then(
      () => (this.state === 'failed' ? undefined : this.follow()),
      (error: unknown) => {
        // The read-model store or the event store failed during the rebuild: stop here, visibly.
        this.state = 'failed';
        this.options.logger.error({ projection: this.projection.name, checkpoint: this.checkpoint, err: error }, 'projection stopped by an error');
      },
    );
  }

  /**
   * Applies everything appended so far (or up to `until`), then returns; for the CLI, for
   * rebuilding a projection elsewhere to compare, and for tests.
   */
  async runUntilCaughtUp(until = Number.POSITIVE_INFINITY, onProgress?: (checkpoint: GlobalPosition) => void): Promise<ProjectionStatus> {
    await this.prepare();
    this.state = 'catching-up';
    await this.rebuildFromStart(until, onProgress);
    if (this.status().state === 'failed') return this.status();
    while (this.checkpoint < until) {
      const batch = (await this.events.readAll(this.checkpoint, this.options.batchSize)).filter((event) => event.position <= until);
      if (batch.length === 0) break;
      if ((await this.applyBatch(batch)) === 'failed') return this.status();
      onProgress?.(this.checkpoint);
      await yieldToEventLoop();
    }
    this.state = 'stopped';
    return this.status();
  }

  /** Lets the batch in flight commit, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.shared?.stop(this.projection);
    await this.subscription?.close();
    await this.running;
    if (this.state !== 'failed') this.state = 'stopped';
  }

  private async prepare(): Promise<void> {
    const { name, version, tables } = this.projection;
    const stored = await readCheckpoint(this.readModels, name);
    if (stored?.version === version) {
      this.checkpoint = stored.position;
      return;
    }
    if (stored) {
      this.state = 'rebuilding';
      this.options.logger.info({ projection: name, from: stored.version, to: version }, 'projection version changed: rebuilding from position 0');
    }
    await this.readModels.transaction().execute(async (trx) => {
      await dropTables(trx, tables);
      await this.projection.createTables(trx);
      await writeCheckpoint(trx, name, { version, position: START_OF_LOG }, this.clock());
    });
    this.checkpoint = START_OF_LOG;
  }

  /**
   * From the first event, rows are folded in memory and written once: far faster than a
   * read and a write per event. A failing handler stops the projection as it would live.
   */
  private async rebuildFromStart(until?: GlobalPosition, onProgress?: (checkpoint: GlobalPosition) => void): Promise<void> {
    if (this.checkpoint !== START_OF_LOG || this.stopping || this.options.rebuildInMemory === false) return;
    const { name } = this.projection;
    if (await this.rebuiltTogether()) return;
    if (this.stopping) return;
    try {
      const rebuilt = await rebuildInMemory([this.projection], this.events, this.readModels, {
        until,
        onProgress,
        clock: this.clock,
        stopped: () => this.stopping,
      });
      this.checkpoint = rebuilt ? rebuilt.position : ((await readCheckpoint(this.readModels, name))?.position ?? START_OF_LOG);
      if (rebuilt && rebuilt.events > 0) this.options.logger.info({ projection: name, ...rebuilt }, 'projection rebuilt from the first event');
    } catch (error) {
      if (!(error instanceof RowFoldError)) throw error;
      // Nothing was written: the batch path applies what it can and stops at that event, visibly.
      this.options.logger.info({ projection: name, position: error.event.position }, 'rebuild in memory stopped by an event; applying batch by batch');
    }
    if (this.state === 'catching-up' && (await this.events.headPosition()) <= this.checkpoint) this.state = 'live';
  }

  /**
   * Takes the outcome of the rebuild shared with other projections, if this runner joined
   * one: true when it wrote this projection's rows; false when it wrote nothing (then this
   * projection is rebuilt on its own, as without it).
   */
  private async rebuiltTogether(): Promise<boolean> {
    const shared = this.shared;
    if (!shared) return false;
    const { name } = this.projection;
    try {
      const rebuilt = await shared.result();
      if (!rebuilt) {
        // Rows written out before it stopped (a rebuild bounded in memory) stand with their checkpoint: go on from there.
        const stored = (await readCheckpoint(this.readModels, name))?.position ?? START_OF_LOG;
        if (stored === START_OF_LOG) return false;
        this.checkpoint = stored;
        return true;
      }
      this.checkpoint = rebuilt.position;
      if (rebuilt.events > 0) this.options.logger.info({ projection: name, ...rebuilt }, 'projection rebuilt from the first event, in one pass with others');
      if (this.state === 'catching-up' && (await this.events.headPosition()) <= this.checkpoint) this.state = 'live';
      return true;
    } catch (error) {
      if (!(error instanceof RowFoldError)) throw error;
      this.options.logger.info({ projection: name, position: error.event.position }, 'rebuild of several projections stopped by an event; rebuilding each on its own');
      return false;
    } finally {
      this.shared = undefined;
    }
  }

  /** Follows the log from the checkpoint; starts over from the stored checkpoint if another process moved it. */
  private async follow(): Promise<void> {
    while (!this.stopping) {
      const subscription = this.events.subscribeToAll(this.checkpoint);
      this.subscription = subscription;
      if ((await this.consume(subscription)) !== 'checkpoint-moved') return;
    }
  }

  private async consume(subscription: EventSubscription): Promise<BatchOutcome> {
    try {
      for await (const batch of batchesWhileReady(subscription, this.options.batchSize)) {
        const outcome = await this.applyBatch(batch);
        if (outcome !== 'applied') {
          // Close before leaving the loop: leaving waits for the read in flight, which, at the
          // head of a quiet log, would wait for an append that may never come.
          await subscription.close();
          return outcome;
        }
        if (this.state === 'catching-up') await this.reportCatchUp();
        // The embedded stores answer synchronously, so a catch-up would otherwise run as one
        // long chain of microtasks and starve HTTP requests and signals until it ended.
        await yieldToEventLoop();
      }
      return 'applied';
    } catch (error) {
      // The read-model store or the event store failed, not a handler: stop here too, visibly.
      this.state = 'failed';
      this.options.logger.error({ projection: this.projection.name, checkpoint: this.checkpoint, err: error }, 'projection stopped by an error');
      return 'failed';
    } finally {
      await subscription.close();
    }
  }

  /** Logs progress at most every few seconds while catching up, and the moment it is live. */
  private async reportCatchUp(): Promise<void> {
    const head = await this.events.headPosition();
    const { name } = this.projection;
    if (head <= this.checkpoint) {
      this.state = 'live';
      this.options.logger.info({ projection: name, checkpoint: this.checkpoint }, 'projection caught up; following live appends');
      return;
    }
    const now = Date.now();
    if (now - this.lastProgressLogAt < PROGRESS_LOG_INTERVAL_MS) return;
    this.lastProgressLogAt = now;
    const percent = Math.floor((this.checkpoint / head) * 100);
    this.options.logger.info({ projection: name, checkpoint: this.checkpoint, head, percent }, 'projection catching up');
  }

  /**
   * Applies a batch and moves the checkpoint in one transaction. A handler that throws
   * rolls the batch back and stops the projection ('failed'); a checkpoint moved by another
   * process rolls it back and resynchronises ('checkpoint-moved').
   */
  private async applyBatch(batch: readonly StoredEvent[]): Promise<BatchOutcome> {
    const { name, version } = this.projection;
    const last = batch[batch.length - 1]!;
    try {
      await this.readModels.transaction().execute(async (trx) => {
        // The checkpoint first: its row lock (PostgreSQL) or the write lock (SQLite) makes a
        // second writer of this projection wait, then find it moved, before touching a row.
        if (!(await advanceCheckpoint(trx, name, version, this.checkpoint, last.position, this.clock()))) {
          throw new CheckpointMovedError();
        }
        const handled = this.handled === 'all' ? batch : batch.filter((event) => (this.handled as ReadonlySet<string>).has(event.type));
        if (handled.length === 0) return;
        try {
          await applyBatchToDatabase(this.projection, handled, trx);
        } catch (error) {
          // A fold that throws names its event; a write the store refused, the batch's last.
          throw error instanceof FoldError ? new ProjectionHandlerError(error.event, error.reason) : new ProjectionHandlerError(handled.at(-1)!, error);
        }
      });
    } catch (error) {
      if (error instanceof CheckpointMovedError) {
        this.checkpoint = (await readCheckpoint(this.readModels, name))?.position ?? START_OF_LOG;
        this.options.logger.info({ projection: name, checkpoint: this.checkpoint }, 'checkpoint moved by another process; resuming from it');
        return 'checkpoint-moved';
      }
      if (!(error instanceof ProjectionHandlerError)) throw error;
      this.fail(error);
      return 'failed';
    }
    this.checkpoint = last.position;
    return 'applied';
  }

  private fail({ event, message }: ProjectionHandlerError): void {
    this.state = 'failed';
    this.failure = {
      position: event.position,
      eventId: event.id,
      eventType: event.type,
      stream: event.stream,
      message,
      failedAt: this.clock().toISOString(),
    };
    this.options.logger.error({ projection: this.projection.name, ...this.failure }, 'projection handler failed; projection stopped');
  }
}
