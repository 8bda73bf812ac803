import { EventStoreDBClient } from '@eventstore/db-client';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import type { AppendedListener, EventStore } from '../kernel/event-store/event-store.port.js';
import type { EventUpcasters } from '../kernel/event-store/event-upcasters.js';
import { UpcastingEventStore } from '../kernel/event-store/upcasting-event-store.js';
import { EVERY_PROJECTION_HERE, type ProjectionLeases } from './projections/contract/projection-leases.js';
import type { ReadModelDb } from './projections/contract/projection.js';
import { createCheckpointTable } from './projections/runner/checkpoint-table.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { PostgresAdvisoryLeases } from './postgres/postgres-advisory-leases.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { PostgresRunLock } from './postgres/postgres-run-lock.js';
import { ONE_PROCESS_RUN_LOCK, type RunLock } from './run-lock.js';
import { openPostgresReadModelDb } from './postgres/postgres-read-model-db.js';
import { IN_MEMORY, openSqliteDatabase } from './sqlite/open-sqlite-database.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { openSqliteReadModelDb } from './sqlite/sqlite-read-model-db.js';
import { SqliteRunLock } from './sqlite/sqlite-run-lock.js';
import { LogReadAheadThread } from './sqlite/log-read-ahead-thread.js';
import { StreamReadAheadThread } from './sqlite/stream-read-ahead-thread.js';
import { WalCheckpointThread, walCheckpointsRunInThread } from './sqlite/wal-checkpoint-thread.js';

/*
 * The configured adapters, opened the same way by the Nest module and by the projection
 * worker thread (which runs outside Nest, on connections of its own).
 */

export interface OpenEventStoreOptions {
  /**
   * Appends another thread makes to the same store, as it tells of them (the projection
   * worker's, by message from the request thread): the embedded store reads them at once
   * rather than at its next poll (PostgreSQL too); EventStoreDB pushes every append anyway.
   */
  readonly appendsElsewhere?: { onAppended(listener: AppendedListener): () => void };
  /**
   * Given for the store this process commits on (the request thread's, not the projection
   * worker's): where SQLITE_CHECKPOINTS=thread, a thread of its own copies the embedded
   * log's WAL back into its file, and where SQLITE_READ_AHEAD=thread another reads ahead the
   * streams close of business is about to load; they tell their failures to this logger.
   */
  readonly committer?: { readonly logger: Pick<Logger, 'error' | 'warn'> };
  /**
   * Where SQLITE_READ_AHEAD=thread, the embedded log reads its long reads (a rebuild's pass
   * over it, a report's) a page ahead on a thread of its own (LogReadAheadThread), and tells
   * this logger (else the committer's) when that thread stops short; given neither, the store
   * reads them on the caller's thread.
   */
  readonly logger?: Pick<Logger, 'error' | 'warn'>;
}

/** The configured event store, read by the application in every event's current shape (by the write models' `schemas`). */
export function openEventStore(config: AppConfig, schemas: EventUpcasters, options: OpenEventStoreOptions = {}): UpcastingEventStore {
  const stored: EventStore =
    config.EVENT_STORE === 'eventstoredb'
      ? new EventStoreDbEventStore(EventStoreDBClient.connectionString(config.EVENTSTORE_CONNECTION_STRING))
      : config.EVENT_STORE === 'postgres'
        ? // Its tables are created as it opens; every operation waits for that.
          new PostgresEventStore(config.EVENT_STORE_URL, {
            schema: config.EVENT_STORE_SCHEMA,
            pollIntervalMs: config.EVENT_POLL_INTERVAL_MS,
            appendsElsewhere: options.appendsElsewhere,
          })
        : openSqliteEventStore(config, options);
  return new UpcastingEventStore(stored, schemas);
}

function openSqliteEventStore(config: AppConfig, { appendsElsewhere, committer, logger = committer?.logger }: OpenEventStoreOptions): SqliteEventStore {
  const db = openSqliteDatabase(config.SQLITE_EVENTS_PATH, config.SQLITE_SYNCHRONOUS);
  const walCheckpoints =
    committer && walCheckpointsRunInThread(config)
      ? new WalCheckpointThread(config.SQLITE_EVENTS_PATH, config.SQLITE_SYNCHRONOUS, db, committer.logger)
      : undefined;
  // Another connection can read the file, not a database in memory.
  const readsAhead = config.SQLITE_READ_AHEAD === 'thread' && config.SQLITE_EVENTS_PATH !== IN_MEMORY;
  const readAhead = committer && readsAhead ? new StreamReadAheadThread(config.SQLITE_EVENTS_PATH, committer.logger) : undefined;
  const logReadAhead = logger && readsAhead ? new LogReadAheadThread(config.SQLITE_EVENTS_PATH, logger) : undefined;
  return new SqliteEventStore(db, { pollIntervalMs: config.EVENT_POLL_INTERVAL_MS, appendsElsewhere, walCheckpoints, readAhead, logReadAhead });
}

/** The configured read-model database, with the projections' checkpoint table in it. */
export async function openReadModelDb(config: AppConfig): Promise<ReadModelDb> {
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
}

/** Who runs which projection: on PostgreSQL, whichever instance holds its lease; on SQLite, this one. */
export function projectionLeasesFor(config: AppConfig): ProjectionLeases {
  return config.READ_STORE === 'postgres' ? new PostgresAdvisoryLeases(config.READ_STORE_URL, config.READ_STORE_SCHEMA) : EVERY_PROJECTION_HERE;
}

/**
 * The lock of work one process at a time may do: where engines can share a store, on the
 * PostgreSQL database they share (the read store's, else the event store's); on the embedded
 * store's files, beside them, for the engine and the CLI run beside it (the event log's file,
 * else the read models'); in memory, the one process has it.
 */
export function runLockFor(config: AppConfig): RunLock {
  if (config.READ_STORE === 'postgres') return new PostgresRunLock(config.READ_STORE_URL, config.READ_STORE_SCHEMA);
  if (config.EVENT_STORE === 'postgres') return new PostgresRunLock(config.EVENT_STORE_URL, config.EVENT_STORE_SCHEMA);
  if (config.EVENT_STORE === 'sqlite' && config.SQLITE_EVENTS_PATH !== IN_MEMORY) return new SqliteRunLock(config.SQLITE_EVENTS_PATH);
  if (config.SQLITE_READ_MODELS_PATH !== IN_MEMORY) return new SqliteRunLock(config.SQLITE_READ_MODELS_PATH);
  return ONE_PROCESS_RUN_LOCK;
}
