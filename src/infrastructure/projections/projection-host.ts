import type { Logger } from 'pino';
import type { AppConfig } from '../../config/app-config.js';
import type { EventStore } from '../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from './contract/projection.js';
import type { ProjectionLeases } from './contract/projection-leases.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import { SharedRebuild } from './runner/shared-rebuild.js';
import type { ProjectionStatus } from './runner/projection-status.js';

export interface ProjectionHostSettings {
  readonly batchSize: number;
  readonly rebuildInMemory: boolean;
  /** How often leases held elsewhere are tried again. */
  readonly leaseRetryMs: number;
  /** Told, synchronously, whenever what runningStatuses() answers may have changed. Must not throw. */
  readonly onStatusChange?: () => void;
}

/**
 * Runs the projections whose lease this process holds (all of them on the embedded store)
 * on its own store connections, and stands by for the others, claiming them as soon as
 * their holder lets go or dies. Plain: the Nest service starts it on the request thread,
 * the projection worker thread starts it outside Nest, and the CLI uses its runners to
 * catch a projection up without starting any.
 */
export class ProjectionHost {
  private runners: ProjectionRunner[];
  private readonly running = new Set<string>();
  private leaseTimer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;

  constructor(
    private readonly projections: readonly Projection[],
    private readonly events: EventStore,
    private readonly readModels: ReadModelDb,
    private readonly leases: ProjectionLeases,
    private readonly settings: ProjectionHostSettings,
    private readonly logger: Logger,
  ) {
    this.runners = projections.map((projection) => this.runnerFor(projection));
  }

  /** Claims what leases it can now, and tries again for the rest every leaseRetryMs. */
  async start(): Promise<void> {
    this.leases.onLost(() => void this.leasesLost());
    await this.claimLeases();
    this.leaseTimer = setInterval(() => void this.claimLeases(), this.settings.leaseRetryMs);
    this.leaseTimer.unref();
  }

  /** Stops every runner at a batch boundary and lets the leases go. */
  async stop(): Promise<void> {
    clearInterval(this.leaseTimer);
    await this.claiming;
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await this.leases.close();
  }

  /** The runner of the named projection (running here or not). */
  runnerNamed(name: string): ProjectionRunner {
    const runner = this.runners.find((r) => r.projection.name === name);
    if (!runner) throw new Error(`No projection named ${name}`);
    return runner;
  }

  get allRunners(): readonly ProjectionRunner[] {
    return this.runners;
  }

  isRunningHere(name: string): boolean {
    return this.running.has(name);
  }

  /** What the runners running here report. */
  runningStatuses(): ProjectionStatus[] {
    return this.runners.filter((runner) => this.running.has(runner.projection.name)).map((runner) => runner.status());
  }

  private runnerFor(projection: Projection): ProjectionRunner {
    return new ProjectionRunner(projection, this.events, this.readModels, {
      batchSize: this.settings.batchSize,
      rebuildInMemory: this.settings.rebuildInMemory,
      logger: this.logger.child({ projection: projection.name }),
      ...(this.settings.onStatusChange && { onStatusChange: this.settings.onStatusChange }),
    });
  }

  /**
   * Starts every projection whose lease this process can take now; those that start from
   * position 0 are rebuilt in one pass over the log together (SharedRebuild).
   */
  private claimLeases(): Promise<void> {
    this.claiming ??= (async () => {
      const rebuild = new SharedRebuild(this.events, this.readModels);
      try {
        for (const runner of this.runners) {
          const { name } = runner.projection;
          if (this.running.has(name) || !(await this.leases.tryAcquire(name))) continue;
          this.running.add(name);
          this.settings.onStatusChange?.();
          this.logger.info({ projection: name }, 'projection lease taken: running it here');
          await runner.start(rebuild);
        }
      } catch (error) {
        this.logger.error({ err: error }, 'could not claim projection leases; trying again');
      } finally {
        rebuild.begin();
        this.claiming = undefined;
      }
    })();
    return this.claiming;
  }

  /** The connection holding the leases broke: another instance may run them now, so stop here and stand by. */
  private async leasesLost(): Promise<void> {
    this.logger.error("projection leases lost: stopping this instance's projections until they can be claimed again");
    const stopped = this.runners;
    this.runners = this.projections.map((projection) => this.runnerFor(projection));
    this.running.clear();
    this.settings.onStatusChange?.();
    await Promise.all(stopped.map((runner) => runner.stop()));
  }
}

/** The host's settings from the configuration, the same on the request thread and in the worker. */
export function projectionHostSettings(config: AppConfig): ProjectionHostSettings {
  return {
    batchSize: config.PROJECTION_BATCH_SIZE,
    rebuildInMemory: config.PROJECTION_REBUILD_IN_MEMORY,
    leaseRetryMs: config.PROJECTION_LEASE_RETRY_MS,
  };
}
