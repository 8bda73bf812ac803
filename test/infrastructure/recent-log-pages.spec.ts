import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { RecentLogPages } from '../../src/infrastructure/sqlite/recent-log-pages.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { EventRow } from '../../src/infrastructure/sqlite/sqlite-event-store.queries.js';
import { someEvents } from '../support/events.js';

/** A log of `head` events in memory, read as readAll reads it, counting the reads. */
function logOf(head: { position: number }) {
  const log = {
    reads: 0,
    read: (after: number, limit: number): EventRow[] => {
      log.reads++;
      const rows: EventRow[] = [];
      for (let position = after + 1; position <= head.position && rows.length < limit; position++) {
        rows.push([position, 'loan-1', position - 1, `id-${position}`, 'Happened', '{}', '{}', '2026-12-08T00:00:00.000Z']);
      }
      return rows;
    },
    head: () => head.position,
  };
  return log;
}

describe('RecentLogPages: the pages of the log readAll read last, for the next reader of the same page', () => {
  it('hands a full page to the next reader without reading it again: the log only grows past it', () => {
    const head = { position: 10 };
    const log = logOf(head);
    const pages = new RecentLogPages();
    const first = pages.rowsAfter(2, 5, log.read, log.head);
    head.position = 20;
    const second = pages.rowsAfter(2, 5, log.read, log.head);
    expect(log.reads).toBe(1);
    expect(second).toEqual(first);
    expect(second.map((row) => row[0])).toEqual([3, 4, 5, 6, 7]);
  });

  it('hands a page that ended at the head only while the head has not moved, and reads it again once it has', () => {
    const head = { position: 4 };
    const log = logOf(head);
    const pages = new RecentLogPages();
    expect(pages.rowsAfter(2, 5, log.read, log.head).map((row) => row[0])).toEqual([3, 4]);
    expect(pages.rowsAfter(2, 5, log.read, log.head).map((row) => row[0])).toEqual([3, 4]);
    expect(log.reads).toBe(1);
    head.position = 6;
    expect(pages.rowsAfter(2, 5, log.read, log.head).map((row) => row[0])).toEqual([3, 4, 5, 6]);
    expect(log.reads).toBe(2);
  });

  it('an empty page at the head likewise: kept while nothing is appended, read again after', () => {
    const head = { position: 4 };
    const log = logOf(head);
    const pages = new RecentLogPages();
    expect(pages.rowsAfter(4, 5, log.read, log.head)).toEqual([]);
    expect(pages.rowsAfter(4, 5, log.read, log.head)).toEqual([]);
    expect(log.reads).toBe(1);
    head.position = 5;
    expect(pages.rowsAfter(4, 5, log.read, log.head).map((row) => row[0])).toEqual([5]);
  });

  it('keeps a page per position and size, and only the last few', () => {
    const log = logOf({ position: 100 });
    const pages = new RecentLogPages(2);
    pages.rowsAfter(0, 5, log.read, log.head);
    pages.rowsAfter(0, 10, log.read, log.head);
    pages.rowsAfter(5, 5, log.read, log.head);
    expect(log.reads).toBe(3);
    // The first is gone (two kept), the other two are still there.
    pages.rowsAfter(0, 10, log.read, log.head);
    pages.rowsAfter(5, 5, log.read, log.head);
    expect(log.reads).toBe(3);
    pages.rowsAfter(0, 5, log.read, log.head);
    expect(log.reads).toBe(4);
  });

  it('lets the page asked for least recently go first', () => {
    const log = logOf({ position: 100 });
    const pages = new RecentLogPages(2);
    pages.rowsAfter(0, 5, log.read, log.head);
    pages.rowsAfter(5, 5, log.read, log.head);
    // Asked for again: now the more recent of the two, so the next new page pushes out the other.
    pages.rowsAfter(0, 5, log.read, log.head);
    pages.rowsAfter(10, 5, log.read, log.head);
    expect(log.reads).toBe(3);
    pages.rowsAfter(0, 5, log.read, log.head);
    expect(log.reads).toBe(3);
    pages.rowsAfter(5, 5, log.read, log.head);
    expect(log.reads).toBe(4);
  });

  it('reads pages of more than 1,000 rows every time, keeping none: a long read goes through each once', () => {
    const log = logOf({ position: 5_000 });
    const pages = new RecentLogPages();
    pages.rowsAfter(0, 1_000, log.read, log.head);
    pages.rowsAfter(0, 1_000, log.read, log.head);
    expect(log.reads).toBe(1);
    pages.rowsAfter(0, 5_000, log.read, log.head);
    pages.rowsAfter(0, 5_000, log.read, log.head);
    expect(log.reads).toBe(3);
  });
});

describe('SqliteEventStore.readAll with the pages it read last', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-recent-pages-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('gives every reader events of its own, and what was appended since, by this connection or another', async () => {
    const path = join(folder, 'events.sqlite');
    const reader = new SqliteEventStore(openSqliteDatabase(path));
    const otherWriter = new SqliteEventStore(openSqliteDatabase(path));
    try {
      await reader.appendToStream('loan-1', someEvents(3), 'no-stream');
      const first = await reader.readAll(0, 10);
      const again = await reader.readAll(0, 10);
      expect(again).toEqual(first);
      expect(again.map((event) => event.revision)).toEqual([0, 1, 2]);
      // Objects of its own, data included: a reader that changed what it was given would not change another's.
      expect(again[0]).not.toBe(first[0]);
      expect(again[0]!.data).not.toBe(first[0]!.data);

      await reader.appendToStream('loan-1', someEvents(1), 2);
      expect((await reader.readAll(0, 10)).map((event) => event.revision)).toEqual([0, 1, 2, 3]);
      await otherWriter.appendToStream('loan-2', someEvents(2), 'no-stream');
      expect((await reader.readAll(0, 10)).map((event) => [event.stream, event.revision])).toEqual([
        ['loan-1', 0],
        ['loan-1', 1],
        ['loan-1', 2],
        ['loan-1', 3],
        ['loan-2', 0],
        ['loan-2', 1],
      ]);
    } finally {
      await otherWriter.close();
      await reader.close();
    }
  });
});
