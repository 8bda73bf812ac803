import {
  BACKWARDS,
  END,
  type EventStoreDBClient,
  FORWARDS,
  StreamNotFoundError,
  UnavailableError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import { setTimeout as delay } from 'node:timers/promises';
import { AppendNotifier } from '../../kernel/event-store/append-notifier.js';
import { EventIdReusedError } from '../../kernel/event-store/event-id-reused.error.js';
import { EVENT_HASH, chainedMetadata } from '../../kernel/event-store/event-hash-chain.js';
import {
  type AppendedListener,
  type AppendOptions,
  type AppendResult,
  type EventLocation,
  type EventStore,
  type EventSubscription,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  START_OF_LOG,
  type StoredEvent,
  type StreamAppend,
  type StreamAppendOutcome,
  type StreamRevision,
  type StreamSnapshot,
} from '../../kernel/event-store/event-store.port.js';
import { WrongExpectedRevisionError } from '../../kernel/event-store/wrong-expected-revision.error.js';
import {
  RECORDED_AT,
  isApplicationStream,
  snapshotStreamOf,
  toClientExpectedRevision,
  toGlobalPosition,
  toPortError,
  toReadPosition,
  toStoredEvent,
} from './eventstoredb-mapping.js';

export interface EventStoreDbOptions {
  readonly clock?: () => Date;
  /** Attempts for a read or a subscription when the server is UNAVAILABLE (a leader change, a restart). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
}

const SCAN_PAGE = 1_000;

/**
 * The production event store: EventStoreDB (one node or a cluster, from the connection
 * string). Streams, revisions and conflicts map one to one; the global log is $all without
 * EventStoreDB's own streams and the snapshot streams; snapshots are the last event of a
 * stream of their own, written after the append (a cache: losing one costs a longer read).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly clock: () => Date;
  /** Tells onAppended listeners: of this store's appends at once, of other writers' through a $all subscription while someone listens. */
  private readonly appends = new AppendNotifier({ whileListened: () => this.watchAll() });

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  async appendToStream(stream: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision, options: AppendOptions = {}): Promise<AppendResult> {
    const earlier = await this.earlierAppend(stream, events);
    if (earlier) return earlier;
    const last = (await this.readBackwards(stream, 1))[0];
    if (events.length === 0) {
      if (!last) {
        if (expectedRevision === 'stream-exists' || typeof expectedRevision === 'number') throw new WrongExpectedRevisionError(stream, expectedRevision, 'no-stream');
        return { nextExpectedRevision: -1, position: START_OF_LOG };
      }
      return { nextExpectedRevision: last.revision, position: last.position };
    }
    const recordedAt = this.clock().toISOString();
    let previousHash = last ? ((last.metadata[EVENT_HASH] as string | undefined) ?? null) : null;
    const toAppend = events.map((event) => {
      const metadata = chainedMetadata(event.type, event.data, { ...event.metadata, [RECORDED_AT]: recordedAt }, recordedAt, previousHash);
      previousHash = metadata[EVENT_HASH] as string;
      return jsonEvent({ id: event.id, type: event.type, data: event.data as never, metadata });
    });
    let result;
    try {
      result = await this.client.appendToStream(stream, toAppend, { expectedRevision: toClientExpectedRevision(expectedRevision) });
    } catch (error) {
      throw toPortError(error, stream, expectedRevision);
    }
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    const position = toGlobalPosition(result.position);
    // The server acknowledged the append: it is durable and readable from $all.
    this.appends.appended(position);
    if (options.snapshot) {
      await this.client.appendToStream(snapshotStreamOf(stream), jsonEvent({ type: 'Snapshot', data: { ...options.snapshot, revision: nextExpectedRevision } as never }));
    }
    return { nextExpectedRevision, position };
  }

  /** One append after another: EventStoreDB has no transaction across streams. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    const outcomes: StreamAppendOutcome[] = [];
    for (const { stream, events, expectedRevision, snapshot } of appends) {
      try {
        outcomes.push({ appended: await this.appendToStream(stream, events, expectedRevision, { snapshot }) });
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError || error instanceof EventIdReusedError) outcomes.push({ refused: error });
        else throw error;
      }
    }
    return outcomes;
  }

  async readSnapshot(stream: string, schema: string): Promise<StreamSnapshot | undefined> {
    const [last] = await this.readBackwards(snapshotStreamOf(stream), 1);
    const snapshot = last?.data as StreamSnapshot | undefined;
    return snapshot?.schema === schema ? snapshot : undefined;
  }

  /** Read backwards from the end of the stream: a repeated command's events are recent. */
  async locateEvent(eventId: string, stream: string): Promise<EventLocation | undefined> {
    for (let before: bigint | undefined; ; ) {
      const page = await this.retrying(() => this.collect(this.client.readStream(stream, { direction: BACKWARDS, fromRevision: before ?? END, maxCount: SCAN_PAGE })));
      const found = page.find((event) => event.id === eventId);
      if (found) return { stream, revision: found.revision };
      const oldest = page.at(-1);
      if (!oldest || oldest.revision === 0 || page.length < SCAN_PAGE) return undefined;
      before = BigInt(oldest.revision - 1);
    }
  }

  async streamRevision(stream: string): Promise<StreamRevision> {
    const [last] = await this.readBackwards(stream, 1);
    return last?.revision ?? -1;
  }

  async readStream(stream: string, fromRevision: StreamRevision = 0): Promise<StoredEvent[]> {
    return this.retrying(() => this.collect(this.client.readStream(stream, { direction: FORWARDS, fromRevision: BigInt(fromRevision) })));
  }

  async readAll(afterPosition: GlobalPosition, limit: number): Promise<StoredEvent[]> {
    const found: StoredEvent[] = [];
    let from = afterPosition;
    while (found.length < limit) {
      const page = await this.retrying(() => this.collectAll(from, SCAN_PAGE));
      for (const event of page) {
        // Reading from a position includes the event there: the checkpoint itself was seen.
        if (from !== START_OF_LOG && event.position <= from) continue;
        if (isApplicationStream(event.stream)) found.push(event);
        if (found.length === limit) break;
      }
      if (page.length < SCAN_PAGE) break;
      from = page.at(-1)!.position;
    }
    return found;
  }

  subscribeToAll(afterPosition: GlobalPosition): EventSubscription {
    return new EventStoreDbSubscription(this.client, afterPosition, this.options.retries ?? 5, this.options.retryDelayMs ?? 500);
  }

  async headPosition(): Promise<GlobalPosition> {
    const events = await this.retrying(() =>
      this.collectRecorded(this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: SCAN_PAGE })),
    );
    return events.find((event) => isApplicationStream(event.stream))?.position ?? START_OF_LOG;
  }

  async countEventsAfter(afterPosition: GlobalPosition): Promise<number> {
    let count = 0;
    for (let page = await this.readAll(afterPosition, SCAN_PAGE); page.length > 0; page = await this.readAll(page.at(-1)!.position, SCAN_PAGE)) {
      count += page.length;
    }
    return count;
  }

  onAppended(listener: AppendedListener): () => void {
    return this.appends.onAppended(listener);
  }

  async close(): Promise<void> {
    this.appends.close();
    await this.client.dispose();
  }

  /**
   * Other instances' appends, while someone listens: $all from its end, without the server's
   * own events and the snapshot streams; subscribed again after a dropped connection (what
   * was appended meanwhile is told with the next append seen, positions being only raised).
   */
  private watchAll(): () => void {
    let stopped = false;
    let current: { unsubscribe(): Promise<void> } | undefined;
    void (async () => {
      for (let failures = 0; !stopped; ) {
        const subscription = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
        current = subscription;
        try {
          for await (const resolved of subscription) {
            if (stopped) break;
            if (!resolved.event) continue;
            const event = toStoredEvent(resolved.event);
            failures = 0;
            if (isApplicationStream(event.stream)) this.appends.appended(event.position);
          }
          return;
        } catch {
          if (stopped || ++failures > (this.options.retries ?? 5)) return;
          await delay((this.options.retryDelayMs ?? 500) * failures);
        }
      }
    })();
    return () => {
      stopped = true;
      void current?.unsubscribe().catch(() => undefined);
    };
  }

  /** A retry of an earlier append returns its result; ids stored only in part are refused. */
  private async earlierAppend(stream: string, events: readonly EventToAppend[]): Promise<AppendResult | undefined> {
    if (events.length === 0) return undefined;
    const first = await this.locateEvent(events[0]!.id, stream);
    if (!first) return undefined;
    const stored = await this.readStream(stream, first.revision);
    const same = events.every((event, index) => stored[index]?.id === event.id);
    if (!same) throw new EventIdReusedError(stream, events.filter((event) => stored.some((s) => s.id === event.id)).map((event) => event.id));
    const last = stored[events.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private async readBackwards(stream: string, count: number): Promise<StoredEvent[]> {
    return this.retrying(() => this.collect(this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: count })));
  }

  private async collectAll(after: GlobalPosition, count: number): Promise<StoredEvent[]> {
    return this.collectRecorded(this.client.readAll({ direction: FORWARDS, fromPosition: toReadPosition(after), maxCount: count }));
  }

  /** A stream's events; an absent stream reads as empty. */
  private async collect(read: AsyncIterable<{ event?: Parameters<typeof toStoredEvent>[0] }>): Promise<StoredEvent[]> {
    try {
      return await this.collectRecorded(read);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  private async collectRecorded(read: AsyncIterable<{ event?: Parameters<typeof toStoredEvent>[0] }>): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for await (const resolved of read) if (resolved.event) events.push(toStoredEvent(resolved.event));
    return events;
  }

  private async retrying<T>(read: () => Promise<T>): Promise<T> {
    const attempts = this.options.retries ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!(error instanceof UnavailableError) || attempt >= attempts) throw error;
        await delay((this.options.retryDelayMs ?? 500) * attempt);
      }
    }
  }
}

/**
 * $all from a checkpoint, without EventStoreDB's own events; on UNAVAILABLE it subscribes
 * again from the last event it delivered, so nothing is skipped or repeated.
 */
class EventStoreDbSubscription implements EventSubscription {
  private closed = false;
  private current: { unsubscribe(): Promise<void> } | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly after: GlobalPosition,
    private readonly retries: number,
    private readonly retryDelayMs: number,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    let checkpoint = this.after;
    let failures = 0;
    while (!this.closed) {
      const subscription = this.client.subscribeToAll({ fromPosition: toReadPosition(checkpoint), filter: excludeSystemEvents() });
      this.current = subscription;
      try {
        for await (const resolved of subscription) {
          if (!resolved.event) continue;
          const event = toStoredEvent(resolved.event);
          if (event.position <= checkpoint || !isApplicationStream(event.stream)) continue;
          failures = 0;
          checkpoint = event.position;
          yield event;
        }
        return;
      } catch (error) {
        if (this.closed) return;
        if (!(error instanceof UnavailableError) || ++failures > this.retries) throw error;
        await delay(this.retryDelayMs * failures);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.current?.unsubscribe();
  }
}
