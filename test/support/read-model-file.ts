import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { ReadModelDb } from '../../src/infrastructure/projections/contract/projection.js';
import { openSqliteReadModelDb } from '../../src/infrastructure/sqlite/sqlite-read-model-db.js';

/**
 * A read-model SQLite file of its own for each test (a file, not memory: its WAL shows what
 * the commits wrote), in a folder removed after it. Call in a describe; the returned
 * functions give the test's database and folder.
 */
export function readModelFileForEachTest(): { db: () => ReadModelDb; folder: () => string } {
  let folder: string | undefined;
  let db: ReadModelDb | undefined;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-read-models-'));
    db = openSqliteReadModelDb(join(folder, 'read-models.sqlite'));
  });
  afterEach(async () => {
    await db?.destroy();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });
  return { db: () => db!, folder: () => folder! };
}

/** Copies the WAL into the file and empties it: pagesInWal counts from here. */
export async function emptyWal(db: ReadModelDb): Promise<void> {
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
}

/** The pages the commits since emptyWal put in the WAL (a passive checkpoint reports them and leaves them there). */
export async function pagesInWal(db: ReadModelDb): Promise<number> {
  return (await sql<{ log: number }>`PRAGMA wal_checkpoint(PASSIVE)`.execute(db)).rows[0]!.log;
}
