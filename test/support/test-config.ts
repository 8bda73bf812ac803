import { randomUUID } from 'node:crypto';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { openPostgresReadModelDb } from '../../src/infrastructure/postgres/postgres-read-model-db.js';
import { IN_MEMORY } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { openSqliteReadModelDb } from '../../src/infrastructure/sqlite/sqlite-read-model-db.js';
import type { ReadModelDb } from '../../src/infrastructure/projections/contract/projection.js';
import { TEST_API_KEYS } from './api-keys.js';

/**
 * The embedded default in memory, with the daily close of business off, the test API keys and the clock stood still (TEST_CLOCK);
 * projections and WAL checkpoints on the request thread, since an app run from TypeScript
 * sources has no built worker script to start (the built engine's worker is tested through
 * EngineProcess; the checkpoint thread, from the build, in wal-checkpoint-thread.spec). With
 * TEST_READ_STORE=postgres (and TEST_POSTGRES_URL), the read models go to a fresh schema
 * of that PostgreSQL database instead: the same tests, on the production read store.
 */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    SQLITE_EVENTS_PATH: ':memory:',
    SQLITE_READ_MODELS_PATH: ':memory:',
    EVENT_POLL_INTERVAL_MS: '20',
    COB_DAILY_AT: 'off',
    API_KEYS: TEST_API_KEYS,
    PROJECTIONS_THREAD: 'main',
    SQLITE_CHECKPOINTS: 'on-commit',
    SQLITE_READ_AHEAD: 'off',
    // Every business date the tests use is in the past of this clock.
    CLOCK_FROZEN_AT: TEST_CLOCK,
    ...postgresReadStore(),
    ...overrides,
  });
}

/** The instant the test engine's clock stands at: its business date is 2029-12-31 in Asia/Shanghai. */
export const TEST_CLOCK = '2029-12-31T12:00:00+08:00';

/** Schemas made for tests start with this; the PostgreSQL pass drops them when it ends. */
export const TEST_SCHEMA_PREFIX = 'arrears_test_';

/** A read-model database of its own for a test: in-memory SQLite, or a fresh PostgreSQL schema in the PostgreSQL pass. */
export async function openTestReadModels(): Promise<ReadModelDb> {
  const config = testConfig();
  return config.READ_STORE === 'postgres' ? openPostgresReadModelDb(config.READ_STORE_URL, config.READ_STORE_SCHEMA) : openSqliteReadModelDb(IN_MEMORY);
}

function postgresReadStore(): Record<string, string> {
  if (process.env['TEST_READ_STORE'] !== 'postgres') return {};
  const url = process.env['TEST_POSTGRES_URL'];
  if (!url) throw new Error('TEST_READ_STORE=postgres needs TEST_POSTGRES_URL');
  return { READ_STORE: 'postgres', READ_STORE_URL: url, READ_STORE_SCHEMA: `${TEST_SCHEMA_PREFIX}${randomUUID().replaceAll('-', '')}` };
}
