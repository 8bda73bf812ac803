import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { type Projection, READ_MODEL_DB, type ReadModelDb } from '../kernel/projections/projection.js';
import { LOGGER } from '../logging/logger.token.js';
import { PROJECTIONS } from './projections.token.js';
import { ProjectionRunner } from './runner/projection-runner.js';
import type { ProjectionStatus } from './runner/projection-status.js';

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

  async reports(): Promise<ProjectionReport[]> {
    return Promise.all(
      this.runners.map(async (runner) => {
        const status = runner.status();
        return { ...status, lag: await this.events.countEventsAfter(status.checkpoint) };
      }),
    );
  }
}
