import type Database from 'better-sqlite3';
import { type SqliteSynchronous, openSqliteDatabase } from './open-sqlite-database.js';

/**
 * Event logs created from now on have pages of 2 KiB, not SQLite's 4 KiB. A commit writes
 * each page it changed to the WAL whole, and most pages an append changes are leaves of the
 * event-id index, one random leaf per event (the ids are UUIDv5, in no order), rewritten for
 * one ~50-byte entry. Close of business commits a thousand loans at a time, each such leaf
 * its own page: over 100,000 loans of bench:cob, kept portfolios seeded alike but for the page
 * size and closed alternating, the close's thread handed 61 MiB to the WAL instead of 132 and
 * the one-day close took 2.56-4.28 s (median 2.83, 8 runs) against 2.69-3.59 s (median 3.45,
 * 5 runs); with 1 KiB pages, 3.00-3.65 s (a loan's snapshot and its larger events then
 * overflow to pages of their own). What it costs: reading or appending the log in order
 * touches twice the pages, 5-9% slower in bench:store (raw SQLite alike), and a payment's
 * group commit did not change beyond the noise. A file that exists keeps its page size.
 */
export const EVENT_LOG_PAGE_BYTES = 2_048;

/** Opens (or creates, with EVENT_LOG_PAGE_BYTES) an event log file as openSqliteDatabase does. */
export function openEventLogFile(path: string, synchronous?: SqliteSynchronous): Database.Database {
  return openSqliteDatabase(path, synchronous, { pageBytes: EVENT_LOG_PAGE_BYTES });
}
