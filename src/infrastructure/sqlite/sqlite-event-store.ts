import type Database from 'better-sqlite3';
import { AppendNotifier } from '../../kernel/event-store/append-notifier.js';
import { CatchUpSubscription } from '../../kernel/event-store/catch-up-subscription.js';
import { EventIdReusedError } from '../../kernel/event-store/event-id-reused.error.js';
import type {
  AppendedListener,
  AppendOptions,
  AppendResult,
  EventLocation,
  EventMetadata,
  EventStore,
  EventSubscription,
  EventToAppend,
  ExpectedRevision,
  GlobalPosition,
  StoredEvent,
  StreamAppend,
  StreamAppendOutcome,
  StreamReadAhead,
  StreamReadAheadResult,
  StreamRevision,
  StreamSnapshot,
} from '../../kernel/event-store/event-store.port.js';
import { START_OF_LOG } from '../../kernel/event-store/event-store.port.js';
import { WrongExpectedRevisionError } from '../../kernel/event-store/wrong-expected-revision.error.js';
import { revisionMatches } from '../../kernel/event-store/revision-matches.js';
import { SQLITE_EVENT_STORE_MIGRATIONS, SQLITE_EVENT_STORE_SCHEMA } from './sqlite-event-store.schema.js';
import { type EventIdRow, type EventRow, FIND_EVENT_ID_SQL, READ_ALL_SQL, READ_SNAPSHOT_SQL, READ_STREAM_SQL, type SnapshotRow } from './sqlite-event-store.queries.js';
import { type ChainedEvent, chainEvents } from '../../kernel/event-store/event-hash-chain.js';
import { type ReadRowsAfter, logPages } from './log-pages.js';
import type { LogReadAheads } from './log-read-ahead-thread.js';
import type { StreamReadAheads } from './stream-read-ahead-thread.js';
import type { StreamReadRows } from './stream-read-ahead-thread-messages.js';
import type { WalCheckpoints } from './wal-checkpoint-thread.js';
import { RecentLogPages } from './recent-log-pages.js';

export interface SqliteEventStoreOptions {
  /** Longest a caught-up subscription waits before looking for appends by other processes. */
  pollIntervalMs?: number;
  subscriptionPageSize?: number;
  /** Source of the recorded instant; the store is the only place that reads the clock. */
  clock?: () => Date;
  /**
   * Appends another thread of this process made to the same file, as it tells of them (the
   * projection worker hears of the request thread's by message): subscriptions read the log
   * at once rather than at their next poll.
   */
  appendsElsewhere?: { onAppended(listener: AppendedListener): () => void };
  /** Told of each commit, to copy the WAL back into the file elsewhere (WalCheckpointThread); by SQLite on commit when absent. */
  walCheckpoints?: WalCheckpoints;
  /** Where readAhead's hints go and takeReadAhead takes what they read (StreamReadAheadThread); the store reads nothing ahead when absent. */
  readAhead?: StreamReadAheads;
  /** Where readLogAhead's pages are read (LogReadAheadThread); on the caller's thread when absent. */
  logReadAhead?: LogReadAheads;
}

const COLUMNS_PER_EVENT = 7;
/** The most rows one INSERT writes: 448 parameters, far below SQLite's limit of 32,766. */
const ROWS_PER_INSERT = 64;

/** The largest power of two up to ROWS_PER_INSERT that fits in what is left: a handful of statements serve every append size. */
function rowsForNextInsert(left: number): number {
  let rows = ROWS_PER_INSERT;
  while (rows > left) rows >>= 1;
  return rows;
}

/** What one append inside a transaction came to: stored now, or the result of the same append stored before. */
interface AppendAttempt {
  readonly result: AppendResult;
  readonly appended: boolean;
}

/**
 * Thrown out of an append's transaction (or savepoint), so that what it wrote is rolled
 * back, when the event-id index already holds one of its ids: a retry of an earlier append,
 * or an id used twice (see appendOrAnswerRetry).
 */
class EventIdTaken extends Error {
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is stored already`);
  }
}

/** The embedded default event store: one SQLite file (WAL), every append (or batch of appends) one transaction. */
export class SqliteEventStore implements EventStore {
  /** Wakes this store's subscriptions and tells its onAppended listeners; other writers' appends are looked for only while someone listens. */
  private readonly appends = new AppendNotifier({ whileListened: () => this.watchOtherWriters() });
  private readonly stopHearingElsewhere: () => void;
  private readonly clock: () => Date;
  private readonly statements;
  /** INSERT statements of 1, 2, 4 … ROWS_PER_INSERT rows, prepared when first needed. */
  private readonly insertStatements = new Map<number, Database.Statement<unknown[]>>();
  private readonly appendTransaction;
  /** What readAll read last, for the next reader of the same page (the projections of a thread follow the log together). */
  private readonly recentPages = new RecentLogPages();
  /** Appends waiting for this turn's group commit (see appendToStream). */
  private group: { request: StreamAppend; resolve: (result: AppendResult) => void; reject: (error: unknown) => void }[] | undefined;
  private readonly batchTransaction;
  /** Where the store has a read-ahead thread (options.readAhead): absent otherwise, so that callers need not prepare hints for nothing. */
  readonly readAhead?: (streams: readonly StreamReadAhead[]) => void;
  /** With readAhead: what the thread read of a stream, handed over once. */
  readonly takeReadAhead?: (stream: string, snapshotSchema: string | undefined) => StreamReadAheadResult | undefined;
  /** With readAhead: lets go of what the thread read of a stream. */
  readonly dropReadAhead?: (stream: string) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteEventStoreOptions = {},
  ) {
    const { readAhead } = options;
    if (readAhead) {
      this.readAhead = (streams) => readAhead.readAhead(streams);
      this.takeReadAhead = (stream, snapshotSchema) => handedOver(stream, snapshotSchema, readAhead.take(stream, snapshotSchema));
      this.dropReadAhead = (stream) => readAhead.drop(stream);
    }
    this.clock = options.clock ?? (() => new Date());
    this.stopHearingElsewhere = options.appendsElsewhere?.onAppended(() => this.appends.wake()) ?? (() => undefined);
    db.exec(SQLITE_EVENT_STORE_SCHEMA);
    for (const migration of SQLITE_EVENT_STORE_MIGRATIONS) {
      const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${migration.table}')`).all();
      if (!columns.some((c) => c.name === migration.column)) db.exec(migration.sql);
    }
    this.statements = {
      findStream: db.prepare<[string], { stream_number: number; last_revision: number; last_hash: string | null }>(
        'SELECT stream_number, last_revision, last_hash FROM streams WHERE name = ?',
      ),
      streamRevision: db.prepare<[string], number>('SELECT last_revision FROM streams WHERE name = ?').pluck(true),
      createStream: db.prepare<[string, number, string]>('INSERT INTO streams (name, last_revision, last_hash) VALUES (?, ?, ?)'),
      moveStream: db.prepare<[number, string, number]>('UPDATE streams SET last_revision = ?, last_hash = ? WHERE stream_number = ?'),
      findEventId: db.prepare<[string], EventIdRow>(FIND_EVENT_ID_SQL),
      readStream: db.prepare<[string, number], EventRow>(READ_STREAM_SQL).raw(true),
      readAll: db.prepare<[number, number], EventRow>(READ_ALL_SQL).raw(true),
      lastPositionOfStream: db.prepare<[number], { position: number }>(
        'SELECT max(position) AS position FROM events WHERE stream_number = ?',
      ),
      head: db.prepare<[], { position: number | null }>('SELECT max(position) AS position FROM events'),
      countAfter: db.prepare<[number], { count: number }>('SELECT count(*) AS count FROM events WHERE position > ?'),
      readSnapshot: db.prepare<[string, string], SnapshotRow>(READ_SNAPSHOT_SQL),
      // Never moves a snapshot back: a slower writer's older state must not replace a newer one.
      keepSnapshot: db.prepare<[number, number, string, string]>(
        `INSERT INTO snapshots (stream_number, revision, schema, state) VALUES (?, ?, ?, ?)
         ON CONFLICT (stream_number) DO UPDATE SET revision = excluded.revision, schema = excluded.schema, state = excluded.state
         WHERE excluded.revision >= snapshots.revision`,
      ),
    };
    // IMMEDIATE: take the write lock before reading the stream's revision, so that two
    // processes cannot both pass the revision check.
    const append = db.transaction((request: StreamAppend) => this.appendInTransaction(request));
    this.appendTransaction = append.immediate;
    // Inside the batch's transaction each append runs in a savepoint of its own (better-sqlite3
    // nests transaction functions that way), so a refused append leaves nothing behind.
    this.batchTransaction = db
      .transaction((requests: readonly StreamAppend[]) =>
        requests.map((request): StreamAppendOutcome & { stored: boolean } => {
          try {
            const { result, appended } = this.appendOrAnswerRetry(append, request);
            return { appended: result, stored: appended };
          } catch (error) {
            if (error instanceof WrongExpectedRevisionError || error instanceof EventIdReusedError) return { refused: error, stored: false };
            throw error;
          }
        }),
      )
      .immediate;
  }

  /**
   * Appends are committed in groups: every append asked for in one turn of the event loop
   * (the commands of concurrent requests) goes into one transaction, one sync to disk,
   * each in a savepoint of its own so that a refused one leaves the others in. Each caller
   * is answered once its group is durable, as before; a lone append waits one turn.
   */
  appendToStream(
    stream: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      if (!this.group) {
        this.group = [];
        setImmediate(() => this.commitGroup());
      }
      this.group.push({ request: { stream, events, expectedRevision, ...options }, resolve, reject });
    });
  }

  private commitGroup(): void {
    const group = this.group;
    this.group = undefined;
    if (!group || group.length === 0) return;
    let outcomes: ReturnType<typeof this.batchTransaction>;
    try {
      outcomes = group.length === 1 ? [this.appendAlone(group[0]!.request)] : this.batchTransaction(group.map((member) => member.request));
    } catch (error) {
      for (const member of group) member.reject(error);
      return;
    }
    this.options.walCheckpoints?.committed();
    // Told before any caller is answered: whoever hears of an append can already read it (committed, synced).
    this.tellAppended(outcomes);
    outcomes.forEach((outcome, index) => {
      const member = group[index]!;
      if (outcome.refused) member.reject(outcome.refused);
      else member.resolve(outcome.appended);
    });
  }

  /** After a commit: the newest position it stored, if it stored anything (a retry answered with an earlier result stores nothing). */
  private tellAppended(outcomes: readonly (StreamAppendOutcome & { stored: boolean })[]): void {
    let last: GlobalPosition | undefined;
    for (const outcome of outcomes) if (outcome.stored && (last === undefined || outcome.appended!.position > last)) last = outcome.appended!.position;
    if (last !== undefined) this.appends.appended(last);
  }

  /** One append in its own transaction: errors other than a refusal fail only this caller. */
  private appendAlone(request: StreamAppend): StreamAppendOutcome & { stored: boolean } {
    const { result, appended } = this.appendOrAnswerRetry(this.appendTransaction, request);
    return { appended: result, stored: appended };
  }

  /**
   * Runs `append` (a transaction, or a savepoint inside one). When one of its ids turns out
   * to be stored already, what it wrote has been rolled back: a retry of an append stored
   * before gets that append's result, anything else is refused.
   */
  private appendOrAnswerRetry(append: (request: StreamAppend) => AppendAttempt, request: StreamAppend): AppendAttempt {
    try {
      return append(request);
    } catch (error) {
      if (!(error instanceof EventIdTaken)) throw error;
      const earlier = this.findEarlierAppend(request.stream, request.events);
      if (earlier) return { result: earlier, appended: false };
      // Not stored before this append: the same id twice within it.
      throw new EventIdReusedError(request.stream, [error.eventId]);
    }
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    if (appends.length === 0) return [];
    const outcomes = this.batchTransaction(appends);
    this.options.walCheckpoints?.committed();
    this.tellAppended(outcomes);
    return outcomes.map(({ stored: _stored, ...outcome }) => outcome);
  }

  /**
   * A retry of an append is recognised only where the append cannot go through as it is: its
   * stream has moved on (the usual retry, with its original expected revision), or the insert
   * meets one of its ids (with an expected revision that still matches, such as 'any'). A new
   * append, by far the most frequent, pays for no look-up of its ids beforehand.
   */
  private appendInTransaction({ stream, events, expectedRevision: expected, snapshot }: StreamAppend): AppendAttempt {
    const found = this.statements.findStream.get(stream);
    const actual = found ? found.last_revision : 'no-stream';
    if (!revisionMatches(expected, actual)) {
      const earlier = this.findEarlierAppend(stream, events);
      if (earlier) return { result: earlier, appended: false };
      throw new WrongExpectedRevisionError(stream, expected, actual);
    }
    if (events.length === 0) {
      if (!found) return { result: { nextExpectedRevision: -1, position: 0 }, appended: false };
      if (snapshot) this.keepSnapshot(found.stream_number, found.last_revision, snapshot);
      const position = this.statements.lastPositionOfStream.get(found.stream_number)!.position;
      return { result: { nextExpectedRevision: found.last_revision, position }, appended: false };
    }

    const firstRevision = found ? found.last_revision + 1 : 0;
    const lastRevision = firstRevision + events.length - 1;
    const recordedAt = this.clock().toISOString();
    // The chain first: the stream's row keeps the last event's hash.
    const texts = chainEvents(events, recordedAt, found?.last_hash ?? null);
    const lastHash = texts.at(-1)!.hash;
    const streamNumber = found
      ? (this.statements.moveStream.run(lastRevision, lastHash, found.stream_number), found.stream_number)
      : Number(this.statements.createStream.run(stream, lastRevision, lastHash).lastInsertRowid);

    const positions = this.insertEvents(streamNumber, firstRevision, events, texts, recordedAt);
    const stored = events.map(
      // The caller's data as it is (as before); the metadata parsed from what was stored, if anyone reads it.
      (event, index): StoredEvent =>
        new SqliteStoredEvent(event.id, stream, event.type, firstRevision + index, positions[index]!, recordedAt, undefined, event.data, texts[index]!.metadataJson),
    );
    if (snapshot) this.keepSnapshot(streamNumber, lastRevision, snapshot);
    return { result: { nextExpectedRevision: lastRevision, position: stored.at(-1)!.position, events: stored }, appended: true };
  }

  /**
   * Writes the events ROWS_PER_INSERT rows per statement (a 1,000-event append: 15 inserts of
   * 64 rows, then one of 32 and one of 8) and returns their positions. One statement per row
   * cost a call into the driver, its bindings and its result object per event: 10–17% of a
   * batched append's CPU time in bench:store. A row without a given rowid gets the table's largest
   * plus one, in the order of VALUES, so a statement's rows take consecutive positions ending
   * at its last insert rowid.
   */
  private insertEvents(
    streamNumber: number,
    firstRevision: StreamRevision,
    events: readonly EventToAppend[],
    texts: readonly ChainedEvent[],
    recordedAt: string,
  ): GlobalPosition[] {
    const positions: GlobalPosition[] = new Array(events.length);
    let from = 0;
    while (from < events.length) {
      const rows = rowsForNextInsert(events.length - from);
      const parameters: unknown[] = new Array(rows * COLUMNS_PER_EVENT);
      for (let row = 0, index = from, at = 0; row < rows; row++, index++) {
        const event = events[index]!;
        parameters[at++] = streamNumber;
        parameters[at++] = firstRevision + index;
        parameters[at++] = event.id;
        parameters[at++] = event.type;
        parameters[at++] = texts[index]!.dataJson;
        parameters[at++] = texts[index]!.metadataJson;
        parameters[at++] = recordedAt;
      }
      let last: number;
      try {
        // Spread, not the array: the driver reads an array's elements one by one through V8's API, which cost more than the rows saved.
        last = Number(this.insertStatement(rows).run(...parameters).lastInsertRowid);
      } catch (error) {
        // The revision was checked under the write lock, so the unique index refusing is the event-id one.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new EventIdTaken(this.takenEventId(events, from, from + rows) ?? events[from]!.id);
        throw error;
      }
      for (let row = 0; row < rows; row++) positions[from + row] = last - rows + 1 + row;
      from += rows;
    }
    return positions;
  }

  private insertStatement(rows: number): Database.Statement<unknown[]> {
    let statement = this.insertStatements.get(rows);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(
        `INSERT INTO events (stream_number, revision, event_id, type, data, metadata, recorded_at)
         VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      );
      this.insertStatements.set(rows, statement);
    }
    return statement;
  }

  /** The first id of a refused insert that is stored already (before, or earlier in this append) or repeated within it. */
  private takenEventId(events: readonly EventToAppend[], from: number, to: number): string | undefined {
    const seen = new Set<string>();
    for (let index = from; index < to; index++) {
      const id = events[index]!.id;
      if (seen.has(id) || this.statements.findEventId.get(id)) return id;
      seen.add(id);
    }
    return undefined;
  }

  private keepSnapshot(streamNumber: number, revision: StreamRevision, snapshot: NonNullable<AppendOptions['snapshot']>): void {
    this.statements.keepSnapshot.run(streamNumber, revision, snapshot.schema, JSON.stringify(snapshot.state));
  }

  /**
   * A retry of an earlier append (every id stored, in this stream, in this order, one after
   * another) returns that append's result; a partial overlap is refused.
   */
  private findEarlierAppend(stream: string, events: readonly EventToAppend[]): AppendResult | undefined {
    // A retry always repeats the first id, so a new first id means a new append; a later id
    // that is stored anyway fails the unique index on insert and is refused there.
    if (events.length === 0 || !this.statements.findEventId.get(events[0]!.id)) return undefined;
    const stored = events.map((event) => this.statements.findEventId.get(event.id));
    const storedCount = stored.filter(Boolean).length;
    if (storedCount === 0) return undefined;
    const isSameAppend =
      storedCount === events.length &&
      stored.every((row, index) => row!.name === stream && row!.revision === stored[0]!.revision + index);
    if (!isSameAppend) {
      throw new EventIdReusedError(stream, stored.filter((row) => row !== undefined).map((row) => row.event_id));
    }
    const last = stored[stored.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async streamRevision(stream: string): Promise<StreamRevision> {
    return this.statements.streamRevision.get(stream) ?? -1;
  }

  async readStream(stream: string, fromRevision: StreamRevision = 0): Promise<StoredEvent[]> {
    return this.statements.readStream.all(stream, fromRevision).map(toStoredEvent);
  }

  async readSnapshot(stream: string, schema: string): Promise<StreamSnapshot | undefined> {
    return snapshotOf(schema, this.statements.readSnapshot.get(stream, schema));
  }

  async locateEvent(eventId: string, stream: string): Promise<EventLocation | undefined> {
    return locationIn(stream, this.statements.findEventId.get(eventId));
  }

  async readAll(afterPosition: GlobalPosition, limit: number): Promise<StoredEvent[]> {
    const rows = this.recentPages.rowsAfter(
      afterPosition,
      limit,
      (after, count) => this.statements.readAll.all(after, count),
      () => this.statements.head.get()!.position ?? START_OF_LOG,
    );
    return rows.map(toStoredEvent);
  }

  /** Read a page ahead on a thread of its own where the store was given one (LogReadAheadThread: long reads only, one at a time); on this thread otherwise. */
  async *readLogAhead(after: GlobalPosition, until: GlobalPosition, pageSize: number): AsyncGenerator<StoredEvent[]> {
    const readHere: ReadRowsAfter = (position, limit) => this.statements.readAll.all(position, limit);
    const pages = this.options.logReadAhead?.pages(after, until, pageSize, readHere) ?? logPages(readHere, after, until, pageSize);
    for await (const rows of pages) yield rows.map(toStoredEvent);
  }

  subscribeToAll(afterPosition: GlobalPosition): EventSubscription {
    return new CatchUpSubscription({ readAll: (after, limit) => this.readAll(after, limit), appends: this.appends }, afterPosition, {
      pageSize: this.options.subscriptionPageSize ?? 1000,
      pollIntervalMs: this.options.pollIntervalMs ?? 250,
    });
  }

  async headPosition(): Promise<GlobalPosition> {
    return this.statements.head.get()!.position ?? 0;
  }

  async countEventsAfter(afterPosition: GlobalPosition): Promise<number> {
    return this.statements.countAfter.get(afterPosition)!.count;
  }

  onAppended(listener: AppendedListener): () => void {
    return this.appends.onAppended(listener);
  }

  /**
   * While someone listens: other processes' appends to the same file (the CLI, a second
   * instance) have no push, so the head is looked at every poll interval, as subscriptions do.
   */
  private watchOtherWriters(): () => void {
    const head = () => this.statements.head.get()!.position ?? START_OF_LOG;
    if (this.db.open) this.appends.seen(head());
    const timer = setInterval(() => {
      if (!this.db.open) return;
      const newest = head();
      if (newest > this.appends.lastTold) this.appends.appended(newest);
    }, this.options.pollIntervalMs ?? 250);
    timer.unref();
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    this.commitGroup();
    this.stopHearingElsewhere();
    this.appends.close();
    if (this.db.open) this.db.close();
    // After the writer: no append can slip in while it stops.
    await Promise.all([this.options.walCheckpoints?.stop(), this.options.readAhead?.stop()]);
  }
}

/**
 * An event as the store hands it out, its data and metadata parsed on first use: folding a
 * stream reads no metadata, and a projection reads the data only of the event types it
 * handles. A class rather than an object literal with two getters (issue 23): the literal
 * made two closures and their context per event, and reading 400,000 events spent more
 * time collecting those than parsing the JSON. `data` and `metadata` are getters of the
 * class, not properties of each event: JSON.stringify writes all eight (toJSON), but an
 * event spread into a new object would leave those two behind.
 */
class SqliteStoredEvent implements StoredEvent {
  #data: unknown;
  /** The stored text of the data until it is parsed; undefined once it is (or when the data was handed over as it is). */
  #dataJson: string | undefined;
  #metadata: EventMetadata | undefined;
  readonly #metadataJson: string;

  constructor(
    readonly id: string,
    readonly stream: string,
    readonly type: string,
    readonly revision: StreamRevision,
    readonly position: GlobalPosition,
    readonly recordedAt: string,
    dataJson: string | undefined,
    data: unknown,
    metadataJson: string,
  ) {
    this.#dataJson = dataJson;
    this.#data = data;
    this.#metadataJson = metadataJson;
  }

  get data(): unknown {
    if (this.#dataJson !== undefined) {
      this.#data = JSON.parse(this.#dataJson);
      this.#dataJson = undefined;
    }
    return this.#data;
  }

  get metadata(): EventMetadata {
    return (this.#metadata ??= JSON.parse(this.#metadataJson) as EventMetadata);
  }

  toJSON(): StoredEvent {
    const { id, stream, type, data, metadata, revision, position, recordedAt } = this;
    return { id, stream, type, data, metadata, revision, position, recordedAt };
  }
}

/** The rows the read-ahead thread read of a stream (StreamReadAheads.take), as the port hands them over. */
function handedOver(stream: string, snapshotSchema: string | undefined, read: StreamReadRows | undefined): StreamReadAheadResult | undefined {
  if (!read) return undefined;
  const { snapshot, events, eventId, eventIdRow } = read;
  return {
    snapshot: snapshotSchema === undefined ? undefined : snapshotOf(snapshotSchema, snapshot),
    tail: events.map(toStoredEvent),
    eventId,
    eventLocation: locationIn(stream, eventIdRow),
  };
}

/** READ_SNAPSHOT_SQL's row as the snapshot of `schema` it holds. */
function snapshotOf(schema: string, row: SnapshotRow | undefined): StreamSnapshot | undefined {
  return row && { schema, revision: row.revision, state: JSON.parse(row.state) };
}

/** Where FIND_EVENT_ID_SQL found an event id, if in `stream`. */
function locationIn(stream: string, row: EventIdRow | undefined): EventLocation | undefined {
  return row && row.name === stream ? { stream, revision: row.revision } : undefined;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return new SqliteStoredEvent(row[3], row[1], row[4], row[2], row[0], row[7], row[5], undefined, row[6]);
}
