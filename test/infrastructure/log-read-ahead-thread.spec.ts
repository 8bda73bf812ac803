import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogReadAheadThread } from '../../src/infrastructure/sqlite/log-read-ahead-thread.js';
import type { ReadRowsAfter } from '../../src/infrastructure/sqlite/log-pages.js';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { READ_ALL_SQL, type EventRow } from '../../src/infrastructure/sqlite/sqlite-event-store.queries.js';
import type { StoredEvent } from '../../src/kernel/event-store/event-store.port.js';
import { someEvents } from '../support/events.js';

/**
 * A rebuild's pass over the log, read a page ahead on a thread of its own. The thread's
 * script runs only from the build (`npm test` builds it first), as the projection worker's does.
 */
const BUILT_WORKER = new URL('../../dist/src/infrastructure/sqlite/log-read-ahead-worker.js', import.meta.url);
const WORKER_THAT_DIES = new URL('../fixtures/workers/log-read-ahead-worker-that-dies.mjs', import.meta.url);

describe('LogReadAheadThread', () => {
  let folder: string;
  let path: string;
  let store: SqliteEventStore | undefined;
  const said: unknown[][] = [];
  const logger = { error: (...args: unknown[]) => void said.push(args), warn: (...args: unknown[]) => void said.push(args) };
  /** Reads on the test's own thread, as the store would without the thread, counting the pages it reads. */
  let readHere: ReadRowsAfter;
  let pagesReadHere: number;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-log-read-ahead-'));
    path = join(folder, 'events.sqlite');
    said.length = 0;
    // 23 events in three streams, at positions 1-23.
    const writer = new SqliteEventStore(openSqliteDatabase(path));
    await writer.appendToStream('tally-a', someEvents(10, 'A', 0), 'no-stream');
    await writer.appendToStream('tally-b', someEvents(8, 'B', 10), 'no-stream');
    await writer.appendToStream('tally-a', someEvents(5, 'A', 18), 9);
    await writer.close();
    const reader = openSqliteDatabase(path).prepare<[number, number], EventRow>(READ_ALL_SQL).raw(true);
    pagesReadHere = 0;
    readHere = (after, limit) => {
      pagesReadHere++;
      return reader.all(after, limit);
    };
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  async function pagesOf(thread: LogReadAheadThread, after: number, until: number, pageSize: number): Promise<number[][]> {
    const pages: number[][] = [];
    for await (const rows of thread.pages(after, until, pageSize, readHere)) pages.push(rows.map((row) => row[0]));
    return pages;
  }
  const positions = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('reads every page on its own thread, up to the position asked, and ends with the read', async () => {
    const thread = new LogReadAheadThread(path, logger, BUILT_WORKER, 0);
    expect(await pagesOf(thread, 3, 20, 5)).toEqual([positions(4, 8), positions(9, 13), positions(14, 18), positions(19, 20)]);
    expect(await pagesOf(thread, 0, 23, 10)).toEqual([positions(1, 10), positions(11, 20), positions(21, 23)]);
    expect(pagesReadHere).toBe(0);
    // Nothing to read, no thread: one that could not start would have said so.
    expect(await pagesOf(new LogReadAheadThread(path, logger, new URL('./no-such-worker.js', BUILT_WORKER), 0), 23, 23, 10)).toEqual([]);
    expect(said).toEqual([]);
  });

  it('reads a short read on the caller\'s thread: a thread would cost more to start than it saves', async () => {
    const shortestReadAhead = 10;
    const missingScript = new LogReadAheadThread(path, logger, new URL('./no-such-worker.js', BUILT_WORKER), shortestReadAhead);
    expect(await pagesOf(missingScript, 5, 14, 5)).toEqual([positions(6, 10), positions(11, 14)]);
    expect(pagesReadHere).toBe(2);
    expect(said).toEqual([]);
    // Ten positions apart: a thread is tried, and the missing script said.
    expect(await pagesOf(missingScript, 5, 15, 5)).toEqual([positions(6, 10), positions(11, 15)]);
    expect(said).toHaveLength(1);
  });

  it('gives the store the same events as readAll, decoded', async () => {
    store = new SqliteEventStore(openSqliteDatabase(path), { logReadAhead: new LogReadAheadThread(path, logger, BUILT_WORKER, 0) });
    const read: StoredEvent[] = [];
    for await (const page of store.readLogAhead(0, 23, 4)) read.push(...page);
    const plain = (events: StoredEvent[]) => events.map(({ id, stream, type, data, metadata, revision, position, recordedAt }) => ({ id, stream, type, data, metadata, revision, position, recordedAt }));
    expect(plain(read)).toEqual(plain(await store.readAll(0, 100)));
  });

  it('ends its thread when the reader leaves after the first page, without a word', async () => {
    const thread = new LogReadAheadThread(path, logger, BUILT_WORKER, 0);
    const first: number[][] = [];
    // Leaving the loop awaits the thread's end: a thread that did not stop would hold the test here.
    for await (const rows of thread.pages(0, 23, 5, readHere)) {
      first.push(rows.map((row) => row[0]));
      break;
    }
    expect(first).toEqual([positions(1, 5)]);
    expect(said).toEqual([]);
  });

  it('keeps the pages a thread sent before it died, reads the rest on the caller\'s thread from there, and says so once', async () => {
    const thread = new LogReadAheadThread(path, logger, WORKER_THAT_DIES, 0);
    expect(await pagesOf(thread, 0, 23, 10)).toEqual([positions(1, 10), positions(11, 20), positions(21, 23)]);
    expect(pagesReadHere).toBe(2);
    expect(said).toHaveLength(1);
    expect(String(said[0]!.at(-1))).toMatch(/the log read-ahead thread stopped \(it exited unexpectedly \(code 3\)\); the log after position 10 is read/);
  });

  it('reads the whole log on the caller\'s thread, and says so, when its thread cannot read', async () => {
    const missingScript = new LogReadAheadThread(path, logger, new URL('./no-such-worker.js', BUILT_WORKER), 0);
    expect(await pagesOf(missingScript, 0, 23, 10)).toEqual([positions(1, 10), positions(11, 20), positions(21, 23)]);
    // A file with no log in it: the thread's statement fails as it starts.
    const noLog = new LogReadAheadThread(join(folder, 'empty.sqlite'), logger, BUILT_WORKER, 0);
    expect(await pagesOf(noLog, 5, 12, 10)).toEqual([positions(6, 12)]);
    expect(said.map((words) => String(words.at(-1)))).toEqual([
      expect.stringMatching(/the log read-ahead thread stopped \(it (exited unexpectedly|failed).*\); the log after position 0 is read/),
      expect.stringMatching(/the log read-ahead thread stopped \(a read failed: no such table: events\); the log after position 5 is read/),
    ]);
  });
});
