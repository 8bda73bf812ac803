import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_SCHEMAS } from '../../src/app/event-schemas.js';
import { openEventStore } from '../../src/infrastructure/open-stores.js';
import { LogReadAheadThread } from '../../src/infrastructure/sqlite/log-read-ahead-thread.js';
import { IN_MEMORY } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import type { SqliteEventStoreOptions } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { StreamReadAheadThread } from '../../src/infrastructure/sqlite/stream-read-ahead-thread.js';
import type { UpcastingEventStore } from '../../src/kernel/event-store/upcasting-event-store.js';
import { testConfig } from '../support/test-config.js';

/** Which read-ahead threads the embedded store is opened with, by SQLITE_READ_AHEAD, where the log is and who is told of failures. */
describe('openEventStore: the embedded log\'s read-ahead threads', () => {
  let folder: string;
  const opened: UpcastingEventStore[] = [];
  const logger = { error: () => undefined, warn: () => undefined };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-open-stores-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(folder, { recursive: true, force: true });
  });

  function readAheadOf(settings: Record<string, string>, options: Parameters<typeof openEventStore>[2]) {
    const store = openEventStore(testConfig({ SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'), ...settings }), EVENT_SCHEMAS, options);
    opened.push(store);
    const { readAhead, logReadAhead } = (store.stored as unknown as { options: SqliteEventStoreOptions }).options;
    return { streams: readAhead?.constructor, log: logReadAhead?.constructor };
  }

  it('reads long reads ahead for any store given a logger, and the streams close of business loads for the committer', () => {
    expect(readAheadOf({ SQLITE_READ_AHEAD: 'thread' }, { committer: { logger } })).toEqual({ streams: StreamReadAheadThread, log: LogReadAheadThread });
    // The projection worker's store: it closes no business.
    expect(readAheadOf({ SQLITE_READ_AHEAD: 'thread' }, { logger })).toEqual({ streams: undefined, log: LogReadAheadThread });
  });

  it('reads on the thread that asks where read-ahead is off, the log is in memory, or nobody would hear of a failure', () => {
    const none = { streams: undefined, log: undefined };
    expect(readAheadOf({ SQLITE_READ_AHEAD: 'off' }, { committer: { logger }, logger })).toEqual(none);
    expect(readAheadOf({ SQLITE_READ_AHEAD: 'thread', SQLITE_EVENTS_PATH: IN_MEMORY }, { committer: { logger }, logger })).toEqual(none);
    expect(readAheadOf({ SQLITE_READ_AHEAD: 'thread' }, {})).toEqual(none);
  });
});
