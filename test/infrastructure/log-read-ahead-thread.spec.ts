import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { BackgroundThread } from '../../src/infrastructure/background-thread.js';
import { type LogReadAheads, LogReadAheadThread } from '../../src/infrastructure/sqlite/log-read-ahead-thread.js';
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
  let closeReader: () => void;
  /** Each thread's stop, and whether it had finished (the thread ended) by the time it was looked at. */
  let stops: { ended: boolean }[];

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
    const readerDb = openSqliteDatabase(path);
    closeReader = () => readerDb.close();
    const reader = readerDb.prepare<[number, number], EventRow>(READ_ALL_SQL).raw(true);
    pagesReadHere = 0;
    stops = [];
    const stop = BackgroundThread.prototype.stop;
    jest.spyOn(BackgroundThread.prototype, 'stop').mockImplementation(function (this: BackgroundThread<{ kind: string }, unknown>) {
      const told = { ended: false };
      stops.push(told);
      return stop.call(this).then(() => void (told.ended = true));
    });
    readHere = (after, limit) => {
      pagesReadHere++;
      return reader.all(after, limit);
    };
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    closeReader();
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
    // One thread each, stopped and ended by the time its read was done.
    expect(stops).toEqual([{ ended: true }, { ended: true }]);
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

  it('reads ahead one read at a time: one that starts meanwhile is read on the caller\'s thread', async () => {
    const thread = new LogReadAheadThread(path, logger, BUILT_WORKER, 0);
    const first = thread.pages(0, 23, 5, readHere);
    const firstPage = await first.next();
    expect(firstPage.done ? [] : firstPage.value.map((row) => row[0])).toEqual(positions(1, 5));
    expect(await pagesOf(thread, 10, 23, 10)).toEqual([positions(11, 20), positions(21, 23)]);
    expect(pagesReadHere).toBe(2);
    await first.return(undefined);
    // Once the first is done, the next is read ahead again.
    pagesReadHere = 0;
    expect(await pagesOf(thread, 10, 23, 10)).toEqual([positions(11, 20), positions(21, 23)]);
    expect(pagesReadHere).toBe(0);
    expect(stops).toEqual([{ ended: true }, { ended: true }]);
  });

  it('gives the store the same events as readAll, decoded', async () => {
    store = new SqliteEventStore(openSqliteDatabase(path), { logReadAhead: new LogReadAheadThread(path, logger, BUILT_WORKER, 0) });
    const read: StoredEvent[] = [];
    for await (const page of store.readLogAhead(0, 23, 4)) read.push(...page);
    const plain = (events: StoredEvent[]) => events.map(({ id, stream, type, data, metadata, revision, position, recordedAt }) => ({ id, stream, type, data, metadata, revision, position, recordedAt }));
    expect(plain(read)).toEqual(plain(await store.readAll(0, 100)));
  });

  it('ends its thread when the reader leaves after the first page, and reads nothing more', async () => {
    const thread = new LogReadAheadThread(path, logger, BUILT_WORKER, 0);
    const first: number[][] = [];
    for await (const rows of thread.pages(0, 23, 5, readHere)) {
      first.push(rows.map((row) => row[0]));
      break;
    }
    expect(first).toEqual([positions(1, 5)]);
    // Leaving the loop waited for the thread to end.
    expect(stops).toEqual([{ ended: true }]);
    expect(pagesReadHere).toBe(0);
    expect(said).toEqual([]);
  });

  it('keeps the pages a thread sent before it died, reads the rest on the caller\'s thread from there, and says so once', async () => {
    const thread = new LogReadAheadThread(path, logger, WORKER_THAT_DIES, 0);
    const pages: number[][] = [];
    for await (const rows of thread.pages(0, 23, 10, readHere)) {
      pages.push(rows.map((row) => row[0]));
      // Asked for a third page, it dies while the second waits to be taken.
      if (pages.length === 1) await delay(200);
    }
    expect(pages).toEqual([positions(1, 10), positions(11, 20), positions(21, 23)]);
    expect(pagesReadHere).toBe(1);
    expect(said).toHaveLength(1);
    expect(String(said[0]!.at(-1))).toMatch(/the log read-ahead thread stopped \(it exited unexpectedly \(code 3\)\); the log after position 20 is read on the thread that asked for it/);
  });

  it('keeps the process alive while the reader waits for a page', () => {
    // A process whose only work is the read must wait for every page before it ends.
    const script = [
      `import { LogReadAheadThread } from ${JSON.stringify(new URL('../../dist/src/infrastructure/sqlite/log-read-ahead-thread.js', import.meta.url).href)};`,
      `const thread = new LogReadAheadThread(${JSON.stringify(path)}, console, undefined, 0);`,
      'let events = 0;',
      'for await (const rows of thread.pages(0, 23, 5, () => [])) events += rows.length;',
      'console.log(`read ${events}`);',
    ].join('\n');
    const scriptPath = join(folder, 'read-the-log.mjs');
    writeFileSync(scriptPath, script);
    const run = spawnSync(process.execPath, [scriptPath], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }).toEqual({ status: 0, stdout: 'read 23', stderr: '' });
  });

  it('is where the store reads a long read, which it decodes', async () => {
    const asked: unknown[][] = [];
    const thread = new LogReadAheadThread(path, logger, BUILT_WORKER, 0);
    const recording: LogReadAheads = {
      pages: (...args) => {
        asked.push(args.slice(0, 3));
        return thread.pages(...args);
      },
    };
    store = new SqliteEventStore(openSqliteDatabase(path), { logReadAhead: recording });
    const types: string[] = [];
    for await (const page of store.readLogAhead(8, 12, 3)) types.push(...page.map((event) => `${event.type}:${(event.data as { n: number }).n}`));
    expect(asked).toEqual([[8, 12, 3]]);
    expect(types).toEqual(['A:8', 'A:9', 'B:10', 'B:11']);
    expect(pagesReadHere).toBe(0);
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
