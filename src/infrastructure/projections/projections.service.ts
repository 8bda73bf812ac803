import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { AppConfig } from '../../config/app-config.js';
import { EVENT_STORE, type EventStore, type GlobalPosition } from '../../kernel/event-store/event-store.port.js';
import { type Projection, READ_MODEL_DB, type ReadModelDb } from './contract/projection.js';
import { LOGGER } from '../../logging/logger.token.js';
import { PROJECTIONS } from './projections.token.js';
import { PROJECTION_LEASES, type ProjectionLeases } from './contract/projection-leases.js';
import { readCheckpoint } from './runner/checkpoint-table.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import type { ProjectionStatus } from './runner/projection-status.js';
import { ProjectionThread, projectionsRunInWorker } from './worker/projection-thread.js';

const CATCH_UP_TIMEOUT_MS = 120_000;
const CATCH_UP_POLL_MS = 10;

export interface ProjectionReport extends ProjectionStatus {
  /** Events appended after the checkpoint. */
  lag: number;
}

/**
 * Runs the projections whose lease this instance holds (all of them on the embedded store),
 * started with the app and stopped at a batch boundary on shutdown. The others stand by and
 * are claimed as soon as their holder lets go or dies. With PROJECTIONS_THREAD=worker the
 * runners live in a worker thread (ProjectionThread), and this service reports what it says.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private runners: ProjectionRunner[];
  private readonly running = new Set<string>();
  private leaseTimer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private thread: ProjectionThread | undefined;

  constructor(
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDb,
    @Inject(PROJECTION_LEASES) private readonly leases: ProjectionLeases,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.runners = projections.map((projection) => this.runnerFor(projection));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PROJECTIONS_ENABLED) return;
    if (projectionsRunInWorker(this.config)) {
      this.thread = await ProjectionThread.start(this.config, this.events, this.logger);
      return;
    }
    this.leases.onLost(() => void this.leasesLost());
    await this.claimLeases();
    this.leaseTimer = setInterval(() => void this.claimLeases(), this.config.PROJECTION_LEASE_RETRY_MS);
    this.leaseTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.thread?.stop();
    clearInterval(this.leaseTimer);
    await this.claiming;
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.leases.close();
  }

  private runnerFor(projection: Projection): ProjectionRunner {
    return new ProjectionRunner(projection, this.events, this.readModels, {
      batchSize: this.config.PROJECTION_BATCH_SIZE,
      rebuildInMemory: this.config.PROJECTION_REBUILD_IN_MEMORY,
      logger: this.logger.child({ projection: projection.name }),
    });
  }

  /** Starts every projection whose lease this instance can take now. */
  private claimLeases(): Promise<void> {
    this.claiming ??= (async () => {
      try {
        for (const runner of this.runners) {
          const { name } = runner.projection;
          if (this.running.has(name) || !(await this.leases.tryAcquire(name))) continue;
          this.running.add(name);
          this.logger.info({ projection: name }, 'projection lease taken: running it here');
          await runner.start();
        }
      } catch (error) {
        this.logger.error({ err: error }, 'could not claim projection leases; trying again');
      } finally {
        this.claiming = undefined;
      }
    })();
    return this.claiming;
  }

  /** The connection holding the leases broke: another instance may run them now, so stop here and stand by. */
  private async leasesLost(): Promise<void> {
    this.logger.error('projection leases lost: stopping this instance\'s projections until they can be claimed again');
    const stopped = this.runners;
    this.runners = this.projections.map((projection) => this.runnerFor(projection));
    this.running.clear();
    await Promise.all(stopped.map((runner) => runner.stop()));
  }

  /**
   * Returns once the named projection has applied everything up to `position`. Where this
   * process does not run projections (the CLI), it catches the projection up itself.
   */
  async ensureCaughtUp(name: string, position: GlobalPosition, timeoutMs = CATCH_UP_TIMEOUT_MS): Promise<void> {
    const runner = this.runners.find((r) => r.projection.name === name);
    if (!runner) throw new Error(`No projection named ${name}`);
    if (!this.config.PROJECTIONS_ENABLED) {
      await runner.runUntilCaughtUp();
      return;
    }
    const deadline = Date.now() + timeoutMs;
    for (let status = await this.statusOf(runner); status.checkpoint < position; status = await this.statusOf(runner)) {
      const { state, failure } = status;
      if (state === 'failed') throw new Error(`Projection ${name} has failed${failure ? ` at position ${failure.position}: ${failure.message}` : ''}`);
      if (Date.now() > deadline) throw new Error(`Projection ${name} did not reach position ${position} within ${timeoutMs} ms`);
      await delay(CATCH_UP_POLL_MS);
    }
  }

  /** What the runners of this thread report, for the worker to pass on. */
  runningStatuses(): ProjectionStatus[] {
    return this.runners.filter((runner) => this.running.has(runner.projection.name)).map((runner) => runner.status());
  }

  /** A projection another instance runs is seen through its stored checkpoint; one the worker runs, through its report. */
  private async statusOf(runner: ProjectionRunner): Promise<ProjectionStatus> {
    const status = runner.status();
    const reported = this.thread?.statusOf(runner.projection.name);
    if (this.thread?.failure) return { ...(reported ?? status), state: 'failed' };
    if (reported) return reported;
    if (!this.config.PROJECTIONS_ENABLED || this.running.has(runner.projection.name)) return status;
    const stored = await readCheckpoint(this.readModels, runner.projection.name);
    return { ...status, state: 'standby', checkpoint: stored?.position ?? status.checkpoint };
  }

  async reports(): Promise<ProjectionReport[]> {
    return Promise.all(
      this.runners.map(async (runner) => {
        const status = await this.statusOf(runner);
        return { ...status, lag: await this.events.countEventsAfter(status.checkpoint) };
      }),
    );
  }
}
