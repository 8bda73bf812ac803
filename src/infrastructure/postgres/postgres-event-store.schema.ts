/**
 * The PostgreSQL event log, in a schema of its own choosing (`schema` is a plain identifier:
 * the configuration checks it).
 *
 * Global order under concurrent writers. A position taken from a sequence at insert time is
 * not enough: writer A may take position 1, writer B position 2, and B commit first; a
 * reader that read 2 and moved its checkpoint past it would never read 1. So:
 *
 * 1. Every event row carries the id of the transaction that wrote it (`transaction_id`,
 *    pg_current_xact_id()).
 * 2. A transaction reserves its positions (reserve_positions) before it writes anything
 *    else, under a session advisory lock held only for the reservation: inside it the
 *    transaction is given its id and its block of positions. Reservations are thus made one
 *    after another, and each one both takes a higher block and is given a higher transaction
 *    id than every earlier one (ids are handed out in increasing order): between two
 *    transactions, position order is transaction-id order.
 * 3. Readers of the global log read only rows whose transaction id is below the xmin of
 *    their statement's snapshot (pg_snapshot_xmin(pg_current_snapshot())): every
 *    transaction below it has ended, and every transaction still running, or yet to take an
 *    id, has an id at or above it, hence (2) positions above every row read. What a reader
 *    sees is always a prefix of the final log: no event can later appear below a position
 *    already read. A late commit holds back what readers see, never what they skip.
 *
 * The cost: readers see an event once every transaction that took an id before it (in the
 * whole cluster: ids are cluster-wide) has ended, so a long write transaction anywhere on the
 * server delays the log for subscribers (never for commands, which read their streams).
 *
 * Streams are numbered on creation, as in the embedded store; a stream's row is locked
 * (SELECT … FOR UPDATE) while its revision is checked and moved, so that two writers
 * cannot both pass the check. A stream keeps at most one snapshot, written in the
 * transaction of its append. `last_hash` is the hash of the stream's last event.
 */
export function postgresEventStoreSchema(schema: string): string {
  const s = `"${schema}"`;
  return `
  CREATE SCHEMA IF NOT EXISTS ${s};
  CREATE TABLE IF NOT EXISTS ${s}.streams (
    stream_number bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL UNIQUE,
    last_revision integer NOT NULL,
    last_hash     text
  );
  CREATE SEQUENCE IF NOT EXISTS ${s}.event_positions AS bigint CACHE 1; -- no values cached per session: they would be handed out of order
  CREATE TABLE IF NOT EXISTS ${s}.events (
    position       bigint PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_number  bigint NOT NULL REFERENCES ${s}.streams (stream_number),
    revision       integer NOT NULL,
    event_id       text NOT NULL,
    type           text NOT NULL,
    data           json NOT NULL,
    metadata       json NOT NULL,
    recorded_at    timestamptz NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream_revision ON ${s}.events (stream_number, revision);
  CREATE UNIQUE INDEX IF NOT EXISTS events_by_event_id ON ${s}.events (event_id);
  CREATE TABLE IF NOT EXISTS ${s}.snapshots (
    stream_number bigint PRIMARY KEY REFERENCES ${s}.streams (stream_number),
    revision      integer NOT NULL,
    schema        text NOT NULL,
    state         json NOT NULL
  );
  CREATE OR REPLACE FUNCTION ${s}.reserve_positions(how_many bigint, OUT last_position bigint, OUT transaction_id text)
  LANGUAGE plpgsql AS $$
  DECLARE
    lock_key constant bigint := hashtext('arrears-event-positions:${schema}');
  BEGIN
    -- The transaction id must be given inside the lock: one taken earlier (by an earlier
    -- write) could be lower than that of a transaction that reserved before this one.
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'event positions are reserved before the transaction writes anything';
    END IF;
    PERFORM pg_advisory_lock(lock_key);
    BEGIN
      transaction_id := pg_current_xact_id()::text;
      last_position := nextval('${s}.event_positions') + how_many - 1;
      IF how_many > 1 THEN
        PERFORM setval('${s}.event_positions', last_position);
      END IF;
    EXCEPTION WHEN OTHERS THEN
      -- A session lock outlives the transaction: never leave it held.
      PERFORM pg_advisory_unlock(lock_key);
      RAISE;
    END;
    PERFORM pg_advisory_unlock(lock_key);
  END
  $$;
`;
}

/** The channel appends are announced on (payload: "<schema>:<last position>"), in the appending transaction. */
export const APPENDS_CHANNEL = 'arrears_event_appends';
