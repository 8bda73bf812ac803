/**
 * How the embedded event store reads: the store prepares these, and its read-ahead threads
 * run the same ones on connections of their own (a command's load a page of commands
 * earlier, so that the pages it passes through are in memory; the log a page ahead of a
 * long read, a rebuild's or a report's).
 */

const EVENT_COLUMNS = `e.position, s.name, e.revision, e.event_id, e.type, e.data, e.metadata, e.recorded_at`;

/** A row of EVENT_COLUMNS, read as an array: building an object with named keys per row costs more than the read. */
export type EventRow = [
  position: number,
  stream: string,
  revision: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];

/** The stream's events from a revision (inclusive), as rows of EVENT_COLUMNS. Parameters: name, revision. */
export const READ_STREAM_SQL = `SELECT ${EVENT_COLUMNS} FROM streams s JOIN events e ON e.stream_number = s.stream_number
         WHERE s.name = ? AND e.revision >= ? ORDER BY e.revision`;

/** Every event after a position, in order, as rows of EVENT_COLUMNS. Parameters: position, limit. */
export const READ_ALL_SQL = `SELECT ${EVENT_COLUMNS} FROM events e JOIN streams s ON s.stream_number = e.stream_number
         WHERE e.position > ? ORDER BY e.position LIMIT ?`;

/** The stream's snapshot of a schema: a SnapshotRow. Parameters: name, schema. */
export const READ_SNAPSHOT_SQL = `SELECT sn.revision, sn.state FROM streams s JOIN snapshots sn ON sn.stream_number = s.stream_number
         WHERE s.name = ? AND sn.schema = ?`;

/** READ_SNAPSHOT_SQL's row. */
export interface SnapshotRow {
  readonly revision: number;
  readonly state: string;
}

/** FIND_EVENT_ID_SQL's row. */
export interface EventIdRow {
  readonly event_id: string;
  readonly position: number;
  readonly revision: number;
  readonly name: string;
}

/** Where an event id is stored (the idempotency lookup): an EventIdRow. Parameter: event id. */
export const FIND_EVENT_ID_SQL = `SELECT e.event_id, e.position, e.revision, s.name FROM events e
         JOIN streams s ON s.stream_number = e.stream_number WHERE e.event_id = ?`;
