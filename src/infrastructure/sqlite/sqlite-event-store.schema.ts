/**
 * Streams get an integer number when first written so that the (stream, revision) index is
 * keyed by something ordered: random text keys would touch a random index page per row
 * (see DESIGN.md §6). The global position is the events table's rowid (no AUTOINCREMENT):
 * it is never reused only because no event is ever deleted, which projection checkpoints and
 * the pages readAll keeps (recent-log-pages.ts) rely on. A stream keeps at
 * most one snapshot, written in the transaction of the append it follows. `last_hash` is
 * the hash of the stream's last event, where the next event's chain starts.
 */
export const SQLITE_EVENT_STORE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS streams (
    stream_number INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    last_revision INTEGER NOT NULL,
    last_hash     TEXT
  );
  CREATE TABLE IF NOT EXISTS events (
    position      INTEGER PRIMARY KEY,
    stream_number INTEGER NOT NULL REFERENCES streams (stream_number),
    revision      INTEGER NOT NULL,
    event_id      TEXT NOT NULL,
    type          TEXT NOT NULL,
    data          TEXT NOT NULL,
    metadata      TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream_revision ON events (stream_number, revision);
  CREATE UNIQUE INDEX IF NOT EXISTS events_by_event_id ON events (event_id);
  CREATE TABLE IF NOT EXISTS snapshots (
    stream_number INTEGER PRIMARY KEY REFERENCES streams (stream_number),
    revision      INTEGER NOT NULL,
    schema        TEXT NOT NULL,
    state         TEXT NOT NULL
  );
`;

/** Files written before the hash chain: their streams get the column, and chain from null. */
export const SQLITE_EVENT_STORE_MIGRATIONS: readonly { readonly column: string; readonly table: string; readonly sql: string }[] = [
  { table: 'streams', column: 'last_hash', sql: 'ALTER TABLE streams ADD COLUMN last_hash TEXT' },
];
