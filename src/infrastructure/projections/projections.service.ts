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
import type { ProjectionRunner } from './runner/projection-runner.js';
import { ProjectionHost, projectionHostSettings } from './projection-host.js';
import type { ProjectionStatus } from './runner/projection-status.js';
import { ProjectionThread, projectionsRunInWorker } from './worker/projection-thread.js';

const CATCH_UP_TIMEOUT_MS = 120_000;
const CATCH_UP_POLL_MS = 10;

export interface ProjectionReport extends ProjectionStatus {
  /** Events appended after the checkpoint. */
  lag: number;
}

/**
 * The projections in the Nest application: started with it (on the request thread through
 * a ProjectionHost, or with PROJECTIONS_THREAD=worker in a worker thread whose reports it
 * passes on) and stopped at a batch boundary on shutdown; asked how far each projection
 * has come, and to wait until one has applied a position. Where projections are off (the
 * CLI), it catches a projection up itself when asked to wait for it.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly host: ProjectionHost;
  private thread: ProjectionThread | undefined;

  constructor(
    @Inject(PROJECTIONS) projections: Projection[],
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDb,
    @Inject(PROJECTION_LEASES) leases: ProjectionLeases,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.host = new ProjectionHost(projections, events, readModels, leases, projectionHostSettings(config), logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PROJECTIONS_ENABLED) return;
    if (projectionsRunInWorker(this.config)) {
      this.thread = await ProjectionThread.start(this.config, this.events, this.logger);
      return;
    }
    await this.host.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.thread?.stop();
    await this.host.stop();
  }

  /**
   * Returns once the named projection has applied everything up to `position`. Where this
   * process does not run projections (the CLI), it catches the projection up itself.
   */
  async ensureCaughtUp(name: string, position: GlobalPosition, timeoutMs = CATCH_UP_TIMEOUT_MS): Promise<void> {
    const runner = this.host.runnerNamed(name);
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

  /** A projection another instance runs is seen through its stored checkpoint; one the worker runs, through its report. */
  private async statusOf(runner: ProjectionRunner): Promise<ProjectionStatus> {
    const status = runner.status();
    const reported = this.thread?.statusOf(runner.projection.name);
    if (this.thread?.failure) return { ...(reported ?? status), state: 'failed' };
    if (reported) return reported;
    if (!this.config.PROJECTIONS_ENABLED || this.host.isRunningHere(runner.projection.name)) return status;
    const stored = await readCheckpoint(this.readModels, runner.projection.name);
    return { ...status, state: 'standby', checkpoint: stored?.position ?? status.checkpoint };
  }

  async reports(): Promise<ProjectionReport[]> {
    return Promise.all(
      this.host.allRunners.map(async (runner) => {
        const status = await this.statusOf(runner);
        return { ...status, lag: await this.events.countEventsAfter(status.checkpoint) };
      }),
    );
  }
}
