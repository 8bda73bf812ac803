import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_SCHEMAS } from '../../src/app/event-schemas.js';
import { openEventStore } from '../../src/infrastructure/open-stores.js';
import { LogReadAheadThread } from '../../src/infrastructure/sqlite/log-read-ahead-thread.js';
import { EVENT_LOG_PAGE_BYTES } from '../../src/infrastructure/sqlite/event-log-file.js';
import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore, type SqliteEventStoreOptions } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { StreamReadAheadThread } from '../../src/infrastructure/sqlite/stream-read-ahead-thread.js';
import type { UpcastingEventStore } from '../../src/kernel/event-store/upcasting-event-store.js';
import { someEvents } from '../support/events.js';
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

/**
 * An embedded log created now has pages of 2 KiB (EVENT_LOG_PAGE_BYTES: an append rewrites a
 * random event-id index leaf per event, whole, in the WAL); one created before keeps its 4 KiB
 * pages and is read and appended to as it was.
 */
describe("openEventStore: the embedded log's page size", () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-event-log-pages-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const pageSizeOf = (path: string): number => {
    const db = openSqliteDatabase(path, 'OFF');
    try {
      return db.pragma('page_size', { simple: true }) as number;
    } finally {
      db.close();
    }
  };
  const openAt = (path: string) => openEventStore(testConfig({ SQLITE_EVENTS_PATH: path }), EVENT_SCHEMAS);

  it('creates a new log with pages of EVENT_LOG_PAGE_BYTES, and copies its WAL back every ~40 MB as before', async () => {
    const path = join(folder, 'events.sqlite');
    const store = openAt(path);
    try {
      await store.appendToStream('loan-L1', someEvents(2), 'no-stream');
      expect((store.stored as unknown as { db: Database.Database }).db.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
    } finally {
      await store.close();
    }
    expect(pageSizeOf(path)).toBe(EVENT_LOG_PAGE_BYTES);
  });

  it('keeps the pages of a log created before, and reads and appends to it as ever', async () => {
    const path = join(folder, 'older.sqlite');
    const older = new SqliteEventStore(openSqliteDatabase(path));
    await older.appendToStream('loan-L1', someEvents(3), 'no-stream');
    await older.close();
    const store = openAt(path);
    try {
      await store.appendToStream('loan-L1', someEvents(2), 2);
      expect((await store.readStream('loan-L1')).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await store.close();
    }
    expect(pageSizeOf(path)).toBe(4_096);
  });
});
