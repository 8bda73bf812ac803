import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CommandPipeline } from '../kernel/commands/command-pipeline.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { READ_MODEL_DB } from '../kernel/projections/projection.js';
import { createCheckpointTable } from '../projections/runner/checkpoint-table.js';
import { openSqliteDatabase } from './sqlite/open-sqlite-database.js';
import { openSqliteReadModelDb } from './sqlite/sqlite-read-model-db.js';
import { openPostgresReadModelDb } from './postgres/postgres-read-model-db.js';
import { PostgresAdvisoryLeases } from './postgres/postgres-advisory-leases.js';
import { EVERY_PROJECTION_HERE, PROJECTION_LEASES, type ProjectionLeases } from '../kernel/projections/projection-leases.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { StoreLifecycle } from './store-lifecycle.js';
import { EVENT_SCHEMAS } from './event-schemas.js';
import { UpcastingEventStore } from '../kernel/event-store/upcasting-event-store.js';

/** Chooses the adapters named by the configuration and hands out the ports. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [AppConfig],
      // The application reads every event in its current shape; the stored form stays behind `stored`.
      useFactory: (config: AppConfig): EventStore =>
        new UpcastingEventStore(
          config.EVENT_STORE === 'eventstoredb'
            ? new EventStoreDbEventStore(EventStoreDBClient.connectionString(config.EVENTSTORE_CONNECTION_STRING))
            : new SqliteEventStore(openSqliteDatabase(config.SQLITE_EVENTS_PATH, config.SQLITE_SYNCHRONOUS), {
                pollIntervalMs: config.EVENT_POLL_INTERVAL_MS,
              }),
          EVENT_SCHEMAS,
        ),
    },
    {
      provide: READ_MODEL_DB,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const db =
          config.READ_STORE === 'postgres'
            ? await openPostgresReadModelDb(config.READ_STORE_URL, config.READ_STORE_SCHEMA)
            : openSqliteReadModelDb(config.SQLITE_READ_MODELS_PATH);
        await createCheckpointTable(db).catch(async (error: { code?: string }) => {
          // Another instance created it at the same moment (PostgreSQL reports the race this way).
          if (error.code !== '23505' && error.code !== '42P07') throw error;
          await createCheckpointTable(db);
        });
        return db;
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
        }),
    },
    {
      provide: PROJECTION_LEASES,
      inject: [AppConfig],
      useFactory: (config: AppConfig): ProjectionLeases =>
        config.READ_STORE === 'postgres' ? new PostgresAdvisoryLeases(config.READ_STORE_URL, config.READ_STORE_SCHEMA) : EVERY_PROJECTION_HERE,
    },
    StoreLifecycle,
  ],
  exports: [EVENT_STORE, READ_MODEL_DB, CommandPipeline, PROJECTION_LEASES],
})
export class InfrastructureModule {}
