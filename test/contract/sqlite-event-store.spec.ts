import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';
import { someEvents } from '../support/events.js';

describeEventStoreContract('embedded SQLite (:memory:)', async () => new SqliteEventStore(openSqliteDatabase(IN_MEMORY)));

describe('SqliteEventStore on a file', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-store-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps events across reopening and sees appends made by another connection', async () => {
    const path = join(folder, 'nested', 'events.sqlite');
    const writer = new SqliteEventStore(openSqliteDatabase(path));
    const reader = new SqliteEventStore(openSqliteDatabase(path), { pollIntervalMs: 20 });
    const subscription = reader.subscribeToAll(0);
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      const next = iterator.next();
      await writer.appendToStream('loan-1', someEvents(1), 'no-stream');
      await expect(next).resolves.toMatchObject({ value: { stream: 'loan-1', revision: 0 } });
    } finally {
      await subscription.close();
      await writer.close();
      await reader.close();
    }
    const reopened = new SqliteEventStore(openSqliteDatabase(path));
    expect(await reopened.readStream('loan-1')).toHaveLength(1);
    await reopened.close();
  });

  it('refuses a stale write from a second connection to the same file', async () => {
    const path = join(folder, 'events.sqlite');
    const [a, b] = [new SqliteEventStore(openSqliteDatabase(path)), new SqliteEventStore(openSqliteDatabase(path))];
    await a.appendToStream('loan-1', someEvents(1), 'no-stream');
    await expect(b.appendToStream('loan-1', someEvents(1), 'no-stream')).rejects.toMatchObject({
      actualRevision: 0,
    });
    await a.close();
    await b.close();
  });
});
