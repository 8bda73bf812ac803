import { EventUpcasters, SCHEMA_VERSION } from './event-upcasters.js';
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
} from './event-store.port.js';

/**
 * The event store as the application reads it: every event in its type's current shape.
 * Appends and everything else pass straight through; `stored` is the store as written,
 * for whoever must see the stored bytes (hash-chain verification, export).
 */
export class UpcastingEventStore implements EventStore {
  /** The stored store's, where it reads ahead: absent otherwise, so that callers need not prepare hints for nothing. */
  readonly readAhead?: (streams: readonly StreamReadAhead[]) => void;
  /** The stored store's, where it hands over what it read ahead, the events in their current shape; absent otherwise. */
  readonly takeReadAhead?: (stream: string, snapshotSchema: string | undefined) => StreamReadAheadResult | undefined;
  /** The stored store's, where it reads ahead; absent otherwise. */
  readonly dropReadAhead?: (stream: string) => void;
  /** The stored store's, where it has one, each event in its current shape; absent otherwise. */
  readonly readLogAhead?: (after: GlobalPosition, until: GlobalPosition, pageSize: number) => AsyncIterable<StoredEvent[]>;

  constructor(
    readonly stored: EventStore,
    readonly upcasters: EventUpcasters,
  ) {
    if (stored.readAhead) this.readAhead = (streams) => stored.readAhead!(streams);
    if (stored.dropReadAhead) this.dropReadAhead = (stream) => stored.dropReadAhead!(stream);
    if (stored.takeReadAhead) {
      const current = this.current;
      const takeReadAhead = stored.takeReadAhead.bind(stored);
      this.takeReadAhead = (stream, snapshotSchema) => {
        const read = takeReadAhead(stream, snapshotSchema);
        return read && { ...read, tail: read.tail.map(current) };
      };
    }
    if (stored.readLogAhead) {
      const current = this.current;
      const readLogAhead = stored.readLogAhead.bind(stored);
      this.readLogAhead = async function* (after, until, pageSize) {
        for await (const page of readLogAhead(after, until, pageSize)) yield page.map(current);
      };
    }
  }

  appendToStream(stream: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    return this.stored.appendToStream(stream, events, expectedRevision, options);
  }

  appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    return this.stored.appendToStreams(appends);
  }

  readSnapshot(stream: string, schema: string): Promise<StreamSnapshot | undefined> {
    return this.stored.readSnapshot(stream, schema);
  }

  locateEvent(eventId: string, stream: string): Promise<EventLocation | undefined> {
    return this.stored.locateEvent(eventId, stream);
  }

  streamRevision(stream: string): Promise<StreamRevision> {
    return this.stored.streamRevision(stream);
  }


  async readStream(stream: string, fromRevision?: StreamRevision): Promise<StoredEvent[]> {
    return (await this.stored.readStream(stream, fromRevision)).map(this.current);
  }

  async readAll(afterPosition: GlobalPosition, limit: number): Promise<StoredEvent[]> {
    return (await this.stored.readAll(afterPosition, limit)).map(this.current);
  }

  subscribeToAll(afterPosition: GlobalPosition): EventSubscription {
    const subscription = this.stored.subscribeToAll(afterPosition);
    const current = this.current;
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) yield current(event);
      },
    };
  }

  /** Positions are the stored log's: nothing to upcast. */
  onAppended(listener: AppendedListener): () => void {
    return this.stored.onAppended(listener);
  }

  headPosition(): Promise<GlobalPosition> {
    return this.stored.headPosition();
  }

  countEventsAfter(afterPosition: GlobalPosition): Promise<number> {
    return this.stored.countEventsAfter(afterPosition);
  }

  close(): Promise<void> {
    return this.stored.close();
  }

  /** Upcasts on first use of `data`, as the adapters parse: an event nobody reads costs nothing. */
  private readonly current = (event: StoredEvent): StoredEvent => {
    if (!this.upcasters.hasUpcasters(event.type)) return event;
    return new UpcastEvent(event, this.upcasters);
  };
}

/**
 * A stored event read in its type's current shape, upcast on first use of `data`. A class
 * rather than an object literal with getters (issue 23): the literal made two closures per
 * event read. As with the adapters' events, `data` and `metadata` are getters of the class
 * (JSON.stringify writes all eight members through toJSON).
 */
class UpcastEvent implements StoredEvent {
  readonly id: string;
  readonly stream: string;
  readonly type: string;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
  readonly recordedAt: string;
  readonly #stored: StoredEvent;
  readonly #upcasters: EventUpcasters;
  #data: unknown;
  #upcast = false;

  constructor(stored: StoredEvent, upcasters: EventUpcasters) {
    this.id = stored.id;
    this.stream = stored.stream;
    this.type = stored.type;
    this.revision = stored.revision;
    this.position = stored.position;
    this.recordedAt = stored.recordedAt;
    this.#stored = stored;
    this.#upcasters = upcasters;
  }

  get data(): unknown {
    if (!this.#upcast) {
      const version = (this.#stored.metadata as EventMetadata)[SCHEMA_VERSION];
      this.#data = this.#upcasters.upcast(this.type, typeof version === 'number' ? version : 1, this.#stored.data);
      this.#upcast = true;
    }
    return this.#data;
  }

  get metadata(): EventMetadata {
    return this.#stored.metadata;
  }

  toJSON(): StoredEvent {
    const { id, stream, type, data, metadata, revision, position, recordedAt } = this;
    return { id, stream, type, data, metadata, revision, position, recordedAt };
  }
}
