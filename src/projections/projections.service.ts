import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config.js';
import { EVENT_STORE, type EventStore, type GlobalPosition } from '../kernel/event-store/event-store.port.js';
import { type Projection, READ_MODEL_DB, type ReadModelDb } from '../kernel/projections/projection.js';
import { LOGGER } from '../logging/logger.token.js';
import { PROJECTIONS } from './projections.token.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import type { ProjectionStatus } from './runner/projection-status.js';

const CATCH_UP_TIMEOUT_MS = 120_000;
const CATCH_UP_POLL_MS = 10;

export interface ProjectionReport extends ProjectionStatus {
  /** Events appended after the checkpoint. */
  lag: number;
}

/** Runs every projection in this process: started with the app, stopped at a batch boundary on shutdown. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners: ProjectionRunner[];

  constructor(
    @Inject(PROJECTIONS) projections: Projection[],
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_DB) readModels: ReadModelDb,
    private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.runners = projections.map(
      (projection) =>
        new ProjectionRunner(projection, events, readModels, {
          batchSize: config.PROJECTION_BATCH_SIZE,
          rebuildInMemory: config.PROJECTION_REBUILD_IN_MEMORY,
          logger: logger.child({ projection: projection.name }),
        }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PROJECTIONS_ENABLED) return;
    for (const runner of this.runners) await runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
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
    while (runner.status().checkpoint < position) {
      const { state, failure } = runner.status();
      if (state === 'failed') throw new Error(`Projection ${name} has failed${failure ? ` at position ${failure.position}: ${failure.message}` : ''}`);
      if (Date.now() > deadline) throw new Error(`Projection ${name} did not reach position ${position} within ${timeoutMs} ms`);
      await delay(CATCH_UP_POLL_MS);
    }
  }

  async reports(): Promise<ProjectionReport[]> {
    return Promise.all(
      this.runners.map(async (runner) => {
        const status = runner.status();
        return { ...status, lag: await this.events.countEventsAfter(status.checkpoint) };
      }),
    );
  }
}
