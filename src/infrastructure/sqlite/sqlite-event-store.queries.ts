/**
 * How the embedded event store reads one stream, as a command's load runs it: the store
 * prepares these, and its read-ahead thread runs the same ones a page of commands earlier,
 * so that the pages they pass through are the ones brought into memory.
 */

const EVENT_COLUMNS = `e.position, s.name, e.revision, e.event_id, e.type, e.data, e.metadata, e.recorded_at`;

/** The stream's events from a revision (inclusive), as rows of EVENT_COLUMNS. Parameters: name, revision. */
export const READ_STREAM_SQL = `SELECT ${EVENT_COLUMNS} FROM streams s JOIN events e ON e.stream_number = s.stream_number
         WHERE s.name = ? AND e.revision >= ? ORDER BY e.revision`;

/** Every event after a position, in order, as rows of EVENT_COLUMNS. Parameters: position, limit. */
export const READ_ALL_SQL = `SELECT ${EVENT_COLUMNS} FROM events e JOIN streams s ON s.stream_number = e.stream_number
         WHERE e.position > ? ORDER BY e.position LIMIT ?`;

/** The stream's snapshot of a schema: revision, state. Parameters: name, schema. */
export const READ_SNAPSHOT_SQL = `SELECT sn.revision, sn.state FROM streams s JOIN snapshots sn ON sn.stream_number = s.stream_number
         WHERE s.name = ? AND sn.schema = ?`;

/** Where an event id is stored (the idempotency lookup): event_id, position, revision, name. Parameter: event id. */
export const FIND_EVENT_ID_SQL = `SELECT e.event_id, e.position, e.revision, s.name FROM events e
         JOIN streams s ON s.stream_number = e.stream_number WHERE e.event_id = ?`;
