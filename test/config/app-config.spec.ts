import { InvalidConfigurationError, loadConfig } from '../../src/config/app-config.js';

describe('loadConfig', () => {
  it('runs on the embedded defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3000,
      EVENT_STORE: 'sqlite',
      SQLITE_EVENTS_PATH: './data/events.sqlite',
      SQLITE_SYNCHRONOUS: 'FULL',
      READ_STORE: 'sqlite',
      PROJECTIONS_ENABLED: true,
    });
  });

  it('converts numbers and booleans from the environment', () => {
    expect(loadConfig({ PORT: '8080', PROJECTION_BATCH_SIZE: '50', PROJECTIONS_ENABLED: 'false' })).toMatchObject({
      PORT: 8080,
      PROJECTION_BATCH_SIZE: 50,
      PROJECTIONS_ENABLED: false,
    });
  });

  it('names every invalid setting and the value it was given', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty', EVENT_STORE: 'mongodb', PROJECTIONS_ENABLED: 'yes', SHUTDOWN_TIMEOUT_MS: '5' });
      } catch (e) {
        return e;
      }
    })() as InvalidConfigurationError;
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect(error.problems.map((p) => p.split('=')[0])).toEqual(['PORT', 'EVENT_STORE', 'SHUTDOWN_TIMEOUT_MS', 'PROJECTIONS_ENABLED']);
    expect(error.message).toContain('PORT="eighty": ');
    expect(error.message).toContain('EVENT_STORE must be one of the following values: sqlite');
  });
});
