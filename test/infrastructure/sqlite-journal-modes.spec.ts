import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { ReadModelDb } from '../../src/infrastructure/projections/contract/projection.js';
import { SqliteReplayTarget } from '../../src/infrastructure/projections/replay/replay-target.js';
import { openSqliteReadModelDb } from '../../src/infrastructure/sqlite/sqlite-read-model-db.js';

/**
 * A replay's scratch file is written with no journal and no syncs, the live files through a
 * write-ahead log. SQLite answers a journal mode it refuses with the mode it kept, so what
 * a file is in must be read back: the scratch file once stayed in WAL mode, unnoticed,
 * and wrote every page twice.
 */
describe('SQLite journal modes', () => {
  let folder: string;
  const pragmaOf = async (db: ReadModelDb, name: 'journal_mode' | 'synchronous') =>
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
      await scratch.transaction().execute(async (trx) => {
        await sql`CREATE TABLE rows_written (id integer primary key, body text not null)`.execute(trx);
        for (let id = 0; id < 100; id++) await sql`INSERT INTO rows_written VALUES (${id}, ${'x'.repeat(5000)})`.execute(trx);
      });
      expect(existsSync(`${scratchPath}-wal`)).toBe(false);
      expect(existsSync(`${scratchPath}-journal`)).toBe(false);
    } finally {
      await scratch.destroy();
    }
  });

  it('keeps the live read-model file in WAL mode with synchronous=NORMAL', async () => {
    const live = openSqliteReadModelDb(join(folder, 'read-models.sqlite'));
    try {
      expect(await pragmaOf(live, 'journal_mode')).toBe('wal');
      expect(await pragmaOf(live, 'synchronous')).toBe(1);
    } finally {
      await live.destroy();
    }
  });
});
