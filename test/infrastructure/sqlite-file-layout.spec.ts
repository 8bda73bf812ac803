import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { ReadModelDb } from '../../src/infrastructure/projections/contract/projection.js';
import { SqliteReplayTarget } from '../../src/infrastructure/projections/replay/replay-target.js';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { openSqliteReadModelDb } from '../../src/infrastructure/sqlite/sqlite-read-model-db.js';

/**
 * Read-model files have 4 KiB pages (a page is what a commit writes for each row it
 * changes); a replay's scratch file is written with no journal and no syncs, the live files
 * through a write-ahead log. SQLite answers a journal mode it refuses with the mode it
 * kept, so what a file is in must be read back: the scratch file once stayed in WAL mode,
 * unnoticed, and wrote every page twice.
 */
describe('SQLite read-model file layout', () => {
  let folder: string;
  const pragmaOf = async (db: ReadModelDb, name: 'journal_mode' | 'synchronous' | 'page_size' | 'wal_autocheckpoint') =>
    Object.values((await sql.raw(`PRAGMA ${name}`).execute(db)).rows[0] as Record<string, unknown>)[0];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-journal-spec-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it("opens a replay's scratch file without a journal or syncs, and leaves no log beside it", async () => {
    const scratchPath = join(folder, 'read-models.sqlite.replay');
    const scratch = await new SqliteReplayTarget(scratchPath).openScratch();
    try {
      expect(await pragmaOf(scratch, 'journal_mode')).toBe('off');
      expect(await pragmaOf(scratch, 'synchronous')).toBe(0);
      expect(await pragmaOf(scratch, 'page_size')).toBe(4_096);
      await scratch.transaction().execute(async (trx) => {
        await sql`CREATE TABLE rows_written (id integer primary key, body text not null)`.execute(trx);
        for (let id = 0; id < 100; id++) await sql`INSERT INTO rows_written VALUES (${id}, ${'x'.repeat(5000)})`.execute(trx);
      });
      // In WAL mode the log stays beside the file while a connection is open.
      expect(existsSync(`${scratchPath}-wal`)).toBe(false);
    } finally {
      await scratch.destroy();
    }
  });

  it('keeps the live read-model file in WAL mode with synchronous=NORMAL and 4 KiB pages', async () => {
    const live = openSqliteReadModelDb(join(folder, 'read-models.sqlite'));
    try {
      expect(await pragmaOf(live, 'journal_mode')).toBe('wal');
      expect(await pragmaOf(live, 'synchronous')).toBe(1);
      expect(await pragmaOf(live, 'page_size')).toBe(4_096);
      // The WAL is copied back every ~40 MB, whatever the page size.
      expect(await pragmaOf(live, 'wal_autocheckpoint')).toBe(10_000);
    } finally {
      await live.destroy();
    }
  });

  it('leaves a read-model file made before with the pages it has', async () => {
    const path = join(folder, 'older.sqlite');
    // As the read models' files were made from b3316bd until 4 KiB pages came back.
    const older = openSqliteDatabase(path, 'NORMAL', { pageBytes: 16_384 });
    older.exec('CREATE TABLE kept (id integer primary key)');
    older.close();
    const reopened = openSqliteReadModelDb(path);
    try {
      expect(await pragmaOf(reopened, 'page_size')).toBe(16_384);
      expect(await pragmaOf(reopened, 'wal_autocheckpoint')).toBe(2_500);
      expect(await pragmaOf(reopened, 'journal_mode')).toBe('wal');
    } finally {
      await reopened.destroy();
    }
  });

  it('refuses to hand out a connection whose journal mode SQLite kept, and says which it kept', () => {
    // SQLite keeps a temporary database (an empty file name) out of WAL mode, and says so only
    // by answering the request with the mode it kept.
    expect(() => openSqliteDatabase('')).toThrow(' could not be put in journal mode WAL (it is in delete)');
  });

  it('closes a connection whose journal mode could not be set', () => {
    // While another connection has the file open, SQLite cannot take it out of WAL mode.
    const path = join(folder, 'held.sqlite');
    const holder = openSqliteDatabase(path, 'NORMAL');
    try {
      holder.exec('CREATE TABLE kept (id integer primary key)');
      expect(() => openSqliteDatabase(path, 'OFF', { journal: 'OFF' })).toThrow('database is locked');
      // Only a connection that is alone with the file can leave WAL mode: the refused one was closed.
      expect(holder.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
    } finally {
      holder.close();
    }
  });
});
