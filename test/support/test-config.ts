import { type AppConfig, loadConfig } from '../../src/config/app-config.js';

/** The embedded default in memory, with the daily close of business off. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    SQLITE_EVENTS_PATH: ':memory:',
    SQLITE_READ_MODELS_PATH: ':memory:',
    EVENT_POLL_INTERVAL_MS: '20',
    COB_DAILY_AT: 'off',
    ...overrides,
  });
}
