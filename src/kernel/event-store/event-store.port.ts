import type { EventIdReusedError } from './event-id-reused.error.js';
import type { WrongExpectedRevisionError } from './wrong-expected-revision.error.js';

/**
 * The event store port: the single source of truth of Arrears.
 *
 * Every adapter (embedded SQLite, EventStoreDB) passes the same contract suite in
 * test/contract. Positions and revisions are plain safe integers so that they can be
 * kept in JSON, in SQL and in checkpoints alike.
 */

/** Position of an event in the store-wide ordered log; 0 means "before the first event". */
export type GlobalPosition = number;

/** 0-based position of an event inside its stream. */
export type StreamRevision = number;

export const START_OF_LOG: GlobalPosition = 0;

/**
 * What the writer believes about the stream before appending:
 * a revision (the revision of the stream's last event), or one of the three guards.
 */
export type ExpectedRevision = StreamRevision | 'no-stream' | 'stream-exists' | 'any';

export type EventMetadata = Record<string, unknown>;

export interface EventToAppend<TData = unknown> {
  /** Unique across the store. Re-appending a stored id is a no-op that returns the first result. */
  readonly id: string;
  readonly type: string;
  readonly data: TData;
  readonly metadata?: EventMetadata;
}

export interface StoredEvent<TData = unknown> {
  readonly id: string;
  readonly stream: string;
  readonly type: string;
  readonly data: TData;
  readonly metadata: EventMetadata;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
  /** ISO-8601 instant (UTC) at which the store recorded the event. */
  readonly recordedAt: string;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append: pass it as expectedRevision next time. */
  readonly nextExpectedRevision: StreamRevision;
  /** Global position of the last event of this append. */
  readonly position: GlobalPosition;
  /**
   * The events as stored (as a read would return them), where the adapter has them at hand
   * (the embedded store); absent otherwise, and for a retry answered with an earlier result.
   */
  readonly events?: readonly StoredEvent[];
}

/**
 * An aggregate's folded state as of a stream revision, kept by the store so that loading
 * the aggregate reads only the events after it. A cache: it can always be rebuilt from the
 * events, and a snapshot of another `schema` is never returned.
 */
export interface StreamSnapshot {
  /** Names the shape of `state` and the evolve function that produced it (Snapshotting.schema). */
  readonly schema: string;
  /** Revision of the last event folded into `state`. */
  readonly revision: StreamRevision;
  /** Plain JSON data. */
  readonly state: unknown;
}

export interface AppendOptions {
  /** Kept as the stream's snapshot at the revision the append ends on, in the same transaction where the adapter can. */
  readonly snapshot?: Omit<StreamSnapshot, 'revision'>;
}

export interface StreamAppend extends AppendOptions {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
}

/** One append of a batch: its result, or the conflict that refused it while the others went ahead. */
export type StreamAppendOutcome =
  | { readonly appended: AppendResult; readonly refused?: undefined }
  | { readonly appended?: undefined; readonly refused: WrongExpectedRevisionError | EventIdReusedError };

export interface EventLocation {
  readonly stream: string;
  readonly revision: StreamRevision;
}

/**
 * A catch-up subscription: yields every event after the starting position in global order,
 * then follows live appends until closed.
 */
export interface EventSubscription extends AsyncIterable<StoredEvent> {
  close(): Promise<void>;
}

/**
 * Told that the log now holds every event up to `lastPosition`, readable: a wake-up call,
 * never a source of truth (read the log to learn what was appended). Must not throw.
 */
export type AppendedListener = (lastPosition: GlobalPosition) => void;

/** A stream about to be loaded by a command (EventStore.readAhead): what the load will read. */
export interface StreamReadAhead {
  readonly stream: string;
  /** The snapshot schema the load starts from, where the stream's aggregate keeps snapshots. */
  readonly snapshotSchema: string | undefined;
  /** The id the command's idempotency lookup will look for (its first event's). */
  readonly eventId: string;
}

/**
 * What a store read of a stream ahead of its load (EventStore.takeReadAhead): the reads the
 * load and its idempotency lookup would make, made earlier, elsewhere. The stream as it stood
 * then: it may have moved since, so a command decided on it is appended at the revision it
 * was read at, and refused there if the stream moved.
 */
export interface StreamReadAheadResult {
  /** The snapshot of the hint's schema, where one was kept then. */
  readonly snapshot: StreamSnapshot | undefined;
  /** The events after the snapshot (from the first without one). */
  readonly tail: StoredEvent[];
  /** The hint's event id, and where it was stored in the stream then (undefined: it was not). */
  readonly eventId: string;
  readonly eventLocation: EventLocation | undefined;
}

export interface EventStore {
  /**
   * Appends atomically. Throws WrongExpectedRevisionError when the stream is not where the
   * writer expected it, and EventIdReusedError when only some of the ids are already stored
   * or they are stored elsewhere.
   */
  appendToStream(
    stream: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult>;

  /**
   * Several appends, each atomic and checked on its own exactly as appendToStream would; one
   * refused for a conflict does not stop the others. Adapters that can commit them together
   * do (the embedded store: one transaction, one disk sync for the lot).
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]>;

  /** The stream's snapshot if one of this schema is kept. */
  readSnapshot(stream: string, schema: string): Promise<StreamSnapshot | undefined>;

  /** Where an event id is stored in `stream`, if it is there (ids are looked up within a stream: not every store indexes them globally). */
  locateEvent(eventId: string, stream: string): Promise<EventLocation | undefined>;

  /** Revision of the stream's last event; -1 when the stream does not exist. */
  streamRevision(stream: string): Promise<StreamRevision>;

  /** The stream's events from `fromRevision` (inclusive); empty when the stream does not exist. */
  readStream(stream: string, fromRevision?: StreamRevision): Promise<StoredEvent[]>;

  /** At most `limit` events with a position strictly after `afterPosition`, in global order. */
  readAll(afterPosition: GlobalPosition, limit: number): Promise<StoredEvent[]>;

  subscribeToAll(afterPosition: GlobalPosition): EventSubscription;

  /**
   * Calls `listener` after appends, once they are durable and readable, with the position of
   * the newest event, until the returned function is called. Appends made through this store
   * are told at once; appends by other writers to the same log as the adapter hears of them
   * (the embedded store: within its poll interval). Positions told only grow: several appends
   * may be told as one.
   */
  onAppended(listener: AppendedListener): () => void;

  /** Position of the newest event, START_OF_LOG when the store is empty. */
  headPosition(): Promise<GlobalPosition>;

  /** How many events lie after a position: a projection's lag. */
  countEventsAfter(afterPosition: GlobalPosition): Promise<number>;

  /**
   * A hint that these streams are about to be loaded (the next page of a close of business):
   * a store whose reads may wait for the disk starts reading what they will read now,
   * elsewhere, and hands it over (takeReadAhead). It changes no answer, and a store may ignore it.
   */
  readAhead?(streams: readonly StreamReadAhead[]): void;

  /**
   * What the store read of a stream on a readAhead hint, handed over once (a second call for
   * the same stream answers undefined, as does a stream not read yet, or read with another
   * snapshot schema): the load then reads nothing itself. A store that does not read ahead
   * has none, or answers undefined.
   */
  takeReadAhead?(stream: string, snapshotSchema: string | undefined): StreamReadAheadResult | undefined;

  /**
   * Lets go of what the store read of a stream on a readAhead hint, without handing it over:
   * the stream's next load reads the store (after a refused append, whose stream moved).
   * Defined wherever takeReadAhead is.
   */
  dropReadAhead?(stream: string): void;

  /**
   * Every event after `after` up to `until` (inclusive), in order, at most `pageSize` a page,
   * none empty: a long read (a rebuild's one pass over the log, a report's), which a store that can reads
   * a page ahead, elsewhere, while the caller works on the page it has. The same events as
   * readAll's pages; readLogInPages falls back to those where a store has no such read.
   */
  readLogAhead?(after: GlobalPosition, until: GlobalPosition, pageSize: number): AsyncIterable<StoredEvent[]>;

  close(): Promise<void>;
}

/** Nest injection token for the configured EventStore adapter. */
export const EVENT_STORE = Symbol('EventStore');
