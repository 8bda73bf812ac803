import { setTimeout as delay } from 'node:timers/promises';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CommandPipeline } from '../kernel/commands/command-pipeline.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { READ_MODEL_DB } from '../infrastructure/projections/contract/projection.js';
import { sameConnectionAs } from '../infrastructure/projections/contract/compiled-read.js';
import { PROJECTION_LEASES } from '../infrastructure/projections/contract/projection-leases.js';
import { StoreLifecycle } from '../infrastructure/store-lifecycle.js';
import { EventsAppendedPublisher } from '../infrastructure/events-appended-publisher.js';
import { EVENT_SCHEMAS } from './event-schemas.js';
import { openEventStore, openReadModelDb, projectionLeasesFor, runLockFor } from '../infrastructure/open-stores.js';
import { RUN_LOCK } from '../infrastructure/run-lock.js';
import { LOGGER } from '../logging/logger.token.js';
import type { Logger } from 'pino';
import { ReadTimingPlugin, profilingStages, stageTimer } from '../http/stage-timing.js';

/** Full jitter: a random wait of up to `baseMs` × 2^(attempt − 1), at most 500 ms; none when `baseMs` is 0. */
const jitteredPause = (baseMs: number) => (attempt: number) =>
  baseMs === 0 ? Promise.resolve() : delay(Math.random() * Math.min(500, baseMs * 2 ** (attempt - 1)));

/** Chooses the adapters named by the configuration and hands out the ports; feeds the event bus from the store's appended signal. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [AppConfig, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => openEventStore(config, EVENT_SCHEMAS, { committer: { logger } }),
    },
    {
      provide: READ_MODEL_DB,
      inject: [AppConfig],
      // Profiling (ARREARS_PROFILE_STAGES=1): every read-model query is timed as the `read` stage.
      useFactory: async (config: AppConfig) => {
        const db = await openReadModelDb(config);
        return profilingStages ? sameConnectionAs(db.withPlugin(new ReadTimingPlugin()), db) : db;
      },
    },
    {
      provide: CommandPipeline,
      inject: [EVENT_STORE, AppConfig],
      useFactory: (store: EventStore, config: AppConfig) =>
        new CommandPipeline(store, {
          maxAttempts: config.COMMAND_MAX_ATTEMPTS,
          schemas: EVENT_SCHEMAS,
          cachedAggregates: config.CACHED_AGGREGATES,
          stageTimer,
          pauseAfterConflict: jitteredPause(config.COMMAND_RETRY_PAUSE_MS),
        }),
    },
    { provide: PROJECTION_LEASES, inject: [AppConfig], useFactory: projectionLeasesFor },
    { provide: RUN_LOCK, inject: [AppConfig], useFactory: runLockFor },
    StoreLifecycle,
    EventsAppendedPublisher,
  ],
  exports: [EVENT_STORE, READ_MODEL_DB, CommandPipeline, PROJECTION_LEASES, RUN_LOCK],
})
export class InfrastructureModule {}
