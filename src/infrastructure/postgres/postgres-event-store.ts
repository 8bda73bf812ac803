import pg from 'pg';
import { setTimeout as delay } from 'node:timers/promises';
import { AppendNotifier } from '../../kernel/event-store/append-notifier.js';
import { CatchUpSubscription } from '../../kernel/event-store/catch-up-subscription.js';
import { EventIdReusedError } from '../../kernel/event-store/event-id-reused.error.js';
import { EVENT_HASH, chainedMetadata } from '../../kernel/event-store/event-hash-chain.js';
import {
  type AppendedListener,
  type AppendOptions,
  type AppendResult,
  type EventLocation,
  type EventMetadata,
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
import { revisionMatches } from '../../kernel/event-store/revision-matches.js';
import { APPENDS_CHANNEL, postgresEventStoreSchema } from './postgres-event-store.schema.js';

export interface PostgresEventStoreOptions {
  /** The schema of the log's tables (created if missing; arrears_events by default); a plain lower-case identifier. */
  readonly schema?: string;
  /** Longest a caught-up subscription, or a listener's watch, waits before looking for appends by other processes. */
  readonly pollIntervalMs?: number;
  readonly subscriptionPageSize?: number;
  readonly poolSize?: number;
  /** Source of the recorded instant; the store is the only place that reads the clock. */
  readonly clock?: () => Date;
  /** Appends another thread of this process made to the same log, as it tells of them: subscriptions read at once. */
  readonly appendsElsewhere?: { onAppended(listener: AppendedListener): () => void };
  /**
   * Tests only: called inside an append's transaction, its positions reserved and its events
   * written, before COMMIT, so that a test can hold writers open and commit them in an order
   * of its choosing.
   */
  readonly beforeCommit?: (reserved: { readonly lastPosition: GlobalPosition }) => Promise<void>;
}

/**
 * How long a global read waits for this store's own committed appends to become readable
 * (untilOwnAppendsReadable): enough for the other writers' transactions of the moment to
 * end; short, since a transaction left open elsewhere would make every such read wait it out.
 */
const OWN_APPENDS_WAIT_MS = 1_000;

interface StreamRow {
  stream_number: string;
  last_revision: number;
  last_hash: string | null;
}

interface EventRow {
  position: string;
  name: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

/** What one append inside a transaction came to: stored now, or the result of the same append stored before. */
interface AppendAttempt {
  readonly result: AppendResult;
  readonly appended: boolean;
}

/** Positions reserved for a transaction, handed out in order to its appends. */
interface PositionBlock {
  next: number;
  readonly last: number;
}

/** An append's insert met a stored id: what it wrote is rolled back (see attemptOrAnswerRetry). */
class EventIdTaken extends Error {
  constructor(readonly eventId: string | undefined) {
    super('an event id is stored already');
  }
}

/**
 * The event log in PostgreSQL: one transaction per append (or batch of appends, each in a
 * savepoint), streams' revisions checked under a row lock, a global order that concurrent
 * writers cannot break (see postgres-event-store.schema.ts), LISTEN/NOTIFY and a poll for
 * other processes' appends.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly t: { events: string; streams: string; snapshots: string; reserve: string };
  private readonly ready: Promise<void>;
  private readonly clock: () => Date;
  private readonly appends = new AppendNotifier({ whileListened: () => this.watchOtherWriters() });
  private readonly stopHearingElsewhere: () => void;
  private listened = false;
  private openSubscriptions = 0;
  private closed = false;
  /** The newest position known readable (every event up to it). */
  private readableUpTo: GlobalPosition = START_OF_LOG;
  /** The newest position this store committed: global reads wait (a moment) until it is readable. */
  private ownNewest: GlobalPosition = START_OF_LOG;
  /** Counts this store's commits, so that a listener's starting point never swallows one it has not been told of. */
  private commits = 0;
  private chaseTarget: GlobalPosition = START_OF_LOG;
  private chasing = false;

  constructor(
    private readonly url: string,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.schema = options.schema ?? 'arrears_events';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) throw new Error(`event store schema must be a lower-case SQL identifier: ${this.schema}`);
    const s = `"${this.schema}"`;
    this.t = { events: `${s}.events`, streams: `${s}.streams`, snapshots: `${s}.snapshots`, reserve: `${s}.reserve_positions` };
    this.clock = options.clock ?? (() => new Date());
    this.pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, application_name: 'arrears-event-store' });
    // A connection dropped while idle in the pool must not bring the process down; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.ready = this.createSchema();
    // Surfaced by the first operation that awaits it; not an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
    this.stopHearingElsewhere = options.appendsElsewhere?.onAppended(() => this.appends.wake()) ?? (() => undefined);
  }

  /** Opens the store once its tables exist. */
  static async open(url: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(url, options);
    try {
      await store.ready;
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** Tables are created at start, under a transaction-scoped lock so that two instances starting together do not race. */
  private async createSchema(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`arrears-event-store-schema:${this.schema}`]);
      await client.query(postgresEventStoreSchema(this.schema));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async appendToStream(stream: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision, options: AppendOptions = {}): Promise<AppendResult> {
    const [outcome] = await this.appendInOneTransaction([{ stream, events, expectedRevision, ...options }], false);
    if (outcome!.refused) throw outcome!.refused;
    return outcome!.appended!;
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    if (appends.length === 0) return [];
    return this.appendInOneTransaction(appends, true);
  }

  /**
   * One transaction: positions for every event reserved first (the ordering rule), then each
   * append checked and written (in a savepoint of its own in a batch, so that a refused one
   * leaves the others in), a NOTIFY, COMMIT. Listeners are told before the callers hear back.
   */
  private async appendInOneTransaction(appends: readonly StreamAppend[], batch: boolean): Promise<StreamAppendOutcome[]> {
    await this.ready;
    const total = appends.reduce((sum, append) => sum + append.events.length, 0);
    const client = await this.pool.connect();
    let broken: unknown;
    const outcomes: StreamAppendOutcome[] = [];
    let lastStored: GlobalPosition | undefined;
    try {
      await client.query('BEGIN');
      let block: PositionBlock = { next: 1, last: 0 };
      if (total > 0) {
        const { rows } = await client.query<{ last_position: string }>(`SELECT last_position FROM ${this.t.reserve}($1)`, [total]);
        const last = Number(rows[0]!.last_position);
        block = { next: last - total + 1, last };
      }
      if (batch && appends.length > 1) {
        // Rows of existing streams locked in one order, so that two batches cannot deadlock on them.
        await client.query(`SELECT 1 FROM ${this.t.streams} WHERE name = ANY($1) ORDER BY name FOR UPDATE`, [[...new Set(appends.map((a) => a.stream))]]);
      }
      for (const request of appends) {
        try {
          if (batch) await client.query('SAVEPOINT arrears_append');
          const attempt = await this.attemptOrAnswerRetry(client, request, block, batch);
          if (batch) await client.query('RELEASE SAVEPOINT arrears_append');
          outcomes.push({ appended: attempt.result });
          if (attempt.appended && (lastStored === undefined || attempt.result.position > lastStored)) lastStored = attempt.result.position;
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError || error instanceof EventIdReusedError)) throw error;
          if (batch) await client.query('ROLLBACK TO SAVEPOINT arrears_append');
          outcomes.push({ refused: error });
        }
      }
      if (lastStored !== undefined) {
        await client.query('SELECT pg_notify($1, $2)', [APPENDS_CHANNEL, `${this.schema}:${lastStored}`]);
        await this.options.beforeCommit?.({ lastPosition: lastStored });
      }
      await client.query(batch || lastStored !== undefined || outcomes[0]?.appended ? 'COMMIT' : 'ROLLBACK');
    } catch (error) {
      broken = error;
      await client.query('ROLLBACK').catch((rollbackFailed: unknown) => (broken = rollbackFailed));
      throw error;
    } finally {
      client.release(broken instanceof Error && !(broken instanceof pg.DatabaseError) ? broken : undefined);
    }
    if (lastStored !== undefined) await this.committed(lastStored);
    return outcomes;
  }

  /**
   * Runs one append. When one of its ids turns out to be stored already, what it wrote is
   * rolled back: a retry of an append stored before gets that append's result, anything
   * else is refused.
   */
  private async attemptOrAnswerRetry(client: pg.PoolClient, request: StreamAppend, block: PositionBlock, batch: boolean): Promise<AppendAttempt> {
    try {
      return await this.attempt(client, request, block);
    } catch (error) {
      if (!(error instanceof EventIdTaken)) throw error;
      await client.query(batch ? 'ROLLBACK TO SAVEPOINT arrears_append' : 'ROLLBACK');
      if (!batch) await client.query('BEGIN');
      const earlier = await this.findEarlierAppend(client, request.stream, request.events);
      if (earlier) return { result: earlier, appended: false };
      // Not stored before this append: the same id twice within it.
      throw new EventIdReusedError(request.stream, [error.eventId ?? request.events[0]!.id]);
    }
  }

  /**
   * A retry of an append is recognised only where the append cannot go through as it is (its
   * stream moved on, or the insert met one of its ids), as in the embedded store: a new
   * append pays for no look-up of its ids.
   */
  private async attempt(client: pg.PoolClient, { stream, events, expectedRevision: expected, snapshot }: StreamAppend, block: PositionBlock): Promise<AppendAttempt> {
    const found = (await client.query<StreamRow>(`SELECT stream_number, last_revision, last_hash FROM ${this.t.streams} WHERE name = $1 FOR UPDATE`, [stream])).rows[0];
    const actual = found ? found.last_revision : 'no-stream';
    if (!revisionMatches(expected, actual)) {
      const earlier = await this.findEarlierAppend(client, stream, events);
      if (earlier) return { result: earlier, appended: false };
      throw new WrongExpectedRevisionError(stream, expected, actual);
    }
    if (events.length === 0) {
      if (!found) return { result: { nextExpectedRevision: -1, position: START_OF_LOG }, appended: false };
      if (snapshot) await this.keepSnapshot(client, found.stream_number, found.last_revision, snapshot);
      const { rows } = await client.query<{ position: string }>(`SELECT max(position) AS position FROM ${this.t.events} WHERE stream_number = $1`, [found.stream_number]);
      return { result: { nextExpectedRevision: found.last_revision, position: Number(rows[0]!.position) }, appended: false };
    }

    const firstRevision = found ? found.last_revision + 1 : 0;
    const lastRevision = firstRevision + events.length - 1;
    const recordedAt = this.clock().toISOString();
    let previousHash = found?.last_hash ?? null;
    const metadata = events.map((event) => {
      const chained = chainedMetadata(event.type, event.data, event.metadata ?? {}, recordedAt, previousHash);
      previousHash = chained[EVENT_HASH] as string;
      return chained;
    });
    let streamNumber: string;
    if (found) {
      await client.query(`UPDATE ${this.t.streams} SET last_revision = $1, last_hash = $2 WHERE stream_number = $3`, [lastRevision, previousHash, found.stream_number]);
      streamNumber = found.stream_number;
    } else {
      const created = await client.query<{ stream_number: string }>(
        `INSERT INTO ${this.t.streams} (name, last_revision, last_hash) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING stream_number`,
        [stream, lastRevision, previousHash],
      );
      // Another writer created the stream meanwhile (the insert waited for its commit): check again against it.
      if (created.rows.length === 0) return this.attempt(client, { stream, events, expectedRevision: expected, snapshot }, block);
      streamNumber = created.rows[0]!.stream_number;
    }

    const firstPosition = block.next;
    block.next += events.length;
    if (block.next - 1 > block.last) throw new Error('more events than positions reserved');
    const positions = events.map((_, index) => firstPosition + index);
    const inserted = await client.query<{ event_id: string }>(
      `INSERT INTO ${this.t.events} (position, stream_number, revision, event_id, type, data, metadata, recorded_at)
       SELECT p, $1, r, i, t, d::json, m::json, $2::timestamptz
       FROM unnest($3::bigint[], $4::integer[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u (p, r, i, t, d, m)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      [
        streamNumber,
        recordedAt,
        positions,
        events.map((_, index) => firstRevision + index),
        events.map((event) => event.id),
        events.map((event) => event.type),
        events.map((event) => JSON.stringify(event.data)),
        metadata.map((m) => JSON.stringify(m)),
      ],
    );
    if (inserted.rows.length < events.length) {
      const stored = new Set(inserted.rows.map((row) => row.event_id));
      const seen = new Set<string>();
      // The first id used twice within the append, if that is what happened.
      const twice = events.find((event) => (seen.has(event.id) ? true : (seen.add(event.id), false)))?.id;
      throw new EventIdTaken(twice ?? events.find((event) => !stored.has(event.id))?.id);
    }
    if (snapshot) await this.keepSnapshot(client, streamNumber, lastRevision, snapshot);
    const stored = events.map(
      (event, index): StoredEvent => ({ id: event.id, stream, type: event.type, data: event.data, metadata: metadata[index]!, revision: firstRevision + index, position: positions[index]!, recordedAt }),
    );
    return { result: { nextExpectedRevision: lastRevision, position: positions.at(-1)!, events: stored }, appended: true };
  }

  private async keepSnapshot(client: pg.PoolClient, streamNumber: string, revision: StreamRevision, snapshot: NonNullable<AppendOptions['snapshot']>): Promise<void> {
    // Never moves a snapshot back: a slower writer's older state must not replace a newer one.
    await client.query(
      `INSERT INTO ${this.t.snapshots} (stream_number, revision, schema, state) VALUES ($1, $2, $3, $4::json)
       ON CONFLICT (stream_number) DO UPDATE SET revision = excluded.revision, schema = excluded.schema, state = excluded.state
       WHERE excluded.revision >= ${this.t.snapshots}.revision`,
      [streamNumber, revision, snapshot.schema, JSON.stringify(snapshot.state)],
    );
  }

  /** A retry of an earlier append (every id stored, in this stream, in this order, one after another) returns that append's result; a partial overlap is refused. */
  private async findEarlierAppend(client: pg.PoolClient | pg.Pool, stream: string, events: readonly EventToAppend[]): Promise<AppendResult | undefined> {
    if (events.length === 0) return undefined;
    const { rows } = await client.query<{ event_id: string; position: string; revision: number; name: string }>(
      `SELECT e.event_id, e.position, e.revision, s.name FROM ${this.t.events} e JOIN ${this.t.streams} s ON s.stream_number = e.stream_number
       WHERE e.event_id = ANY($1)`,
      [events.map((event) => event.id)],
    );
    if (rows.length === 0) return undefined;
    const byId = new Map(rows.map((row) => [row.event_id, row]));
    const stored = events.map((event) => byId.get(event.id));
    const isSameAppend = stored.every((row, index) => row !== undefined && row.name === stream && row.revision === stored[0]!.revision + index);
    if (!isSameAppend) throw new EventIdReusedError(stream, [...new Set(rows.map((row) => row.event_id))]);
    const last = stored.at(-1)!;
    return { nextExpectedRevision: last.revision, position: Number(last.position) };
  }

  async streamRevision(stream: string): Promise<StreamRevision> {
    await this.ready;
    const { rows } = await this.pool.query<{ last_revision: number }>(`SELECT last_revision FROM ${this.t.streams} WHERE name = $1`, [stream]);
    return rows[0]?.last_revision ?? -1;
  }

  /** A stream needs no visibility rule: its revisions are written under its row's lock, so what is committed of it has no gap. */
  async readStream(stream: string, fromRevision: StreamRevision = 0): Promise<StoredEvent[]> {
    await this.ready;
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.t.streams} s JOIN ${this.t.events} e ON e.stream_number = s.stream_number
       WHERE s.name = $1 AND e.revision >= $2 ORDER BY e.revision`,
      [stream, fromRevision],
    );
    return rows.map(toStoredEvent);
  }

  async readSnapshot(stream: string, schema: string): Promise<StreamSnapshot | undefined> {
    await this.ready;
    const { rows } = await this.pool.query<{ revision: number; state: string }>(
      `SELECT sn.revision, sn.state::text AS state FROM ${this.t.streams} s JOIN ${this.t.snapshots} sn ON sn.stream_number = s.stream_number
       WHERE s.name = $1 AND sn.schema = $2`,
      [stream, schema],
    );
    const row = rows[0];
    return row && { schema, revision: row.revision, state: JSON.parse(row.state) };
  }

  async locateEvent(eventId: string, stream: string): Promise<EventLocation | undefined> {
    await this.ready;
    const { rows } = await this.pool.query<{ revision: number }>(
      `SELECT e.revision FROM ${this.t.events} e JOIN ${this.t.streams} s ON s.stream_number = e.stream_number WHERE e.event_id = $1 AND s.name = $2`,
      [eventId, stream],
    );
    return rows[0] && { stream, revision: rows[0].revision };
  }

  /** Only events below the snapshot's xmin: a prefix of the log that nothing committed later can fall into (see the schema). */
  async readAll(afterPosition: GlobalPosition, limit: number): Promise<StoredEvent[]> {
    await this.untilOwnAppendsReadable();
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.t.events} e JOIN ${this.t.streams} s ON s.stream_number = e.stream_number
       WHERE e.position > $1 AND e.transaction_id < ${HORIZON} ORDER BY e.position LIMIT $2`,
      [afterPosition, limit],
    );
    return rows.map(toStoredEvent);
  }

  subscribeToAll(afterPosition: GlobalPosition): EventSubscription {
    const subscription = new CatchUpSubscription({ readAll: (after, limit) => this.readAll(after, limit), appends: this.appends }, afterPosition, {
      pageSize: this.options.subscriptionPageSize ?? 1000,
      pollIntervalMs: this.options.pollIntervalMs ?? 250,
    });
    this.openSubscriptions++;
    let open = true;
    const close = subscription.close.bind(subscription);
    subscription.close = async () => {
      if (open) this.openSubscriptions--;
      open = false;
      await close();
    };
    return subscription;
  }

  /** The newest readable position. */
  async headPosition(): Promise<GlobalPosition> {
    await this.untilOwnAppendsReadable();
    return this.readableHead();
  }

  async countEventsAfter(afterPosition: GlobalPosition): Promise<number> {
    await this.untilOwnAppendsReadable();
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${this.t.events} WHERE position > $1 AND transaction_id < ${HORIZON}`,
      [afterPosition],
    );
    return Number(rows[0]!.count);
  }

  onAppended(listener: AppendedListener): () => void {
    return this.appends.onAppended(listener);
  }

  private async readableHead(): Promise<GlobalPosition> {
    await this.ready;
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.t.events} WHERE transaction_id < ${HORIZON} ORDER BY position DESC LIMIT 1`,
    );
    const head = rows[0] ? Number(rows[0].position) : START_OF_LOG;
    if (head > this.readableUpTo) this.readableUpTo = head;
    return head;
  }

  /**
   * Read-your-writes on the global log: what this store committed is readable once every
   * transaction that took an id before it has ended, usually at once; a global read waits
   * for that (a bounded while: a transaction left open elsewhere must not hang the reader,
   * which then reads the prefix it can).
   */
  private async untilOwnAppendsReadable(): Promise<void> {
    await this.ready;
    const deadline = Date.now() + OWN_APPENDS_WAIT_MS;
    for (let wait = 1; this.readableUpTo < this.ownNewest && !this.closed && Date.now() < deadline; wait = Math.min(wait * 2, 50)) {
      if ((await this.readableHead()) >= this.ownNewest) return;
      await delay(wait);
    }
  }

  /** After a commit: listeners (and subscriptions) are told once the append is readable, if possible before its caller hears back. */
  private async committed(lastPosition: GlobalPosition): Promise<void> {
    this.commits++;
    if (lastPosition > this.ownNewest) this.ownNewest = lastPosition;
    if (!this.listened && this.openSubscriptions === 0) return;
    try {
      const head = await this.readableHead();
      if (head > this.appends.lastTold) this.appends.appended(head);
      else this.appends.wake();
      if (head < lastPosition) this.chase(lastPosition);
    } catch {
      // Only a wake-up call: the watch's poll tells of it later.
      this.chase(lastPosition);
    }
  }

  /** Tells of the log up to `target` once it is readable, looking again a little later each time; one chase at a time. */
  private chase(target: GlobalPosition): void {
    if (target > this.chaseTarget) this.chaseTarget = target;
    if (this.chasing) return;
    this.chasing = true;
    void (async () => {
      const longest = this.options.pollIntervalMs ?? 250;
      for (let wait = 1; !this.closed && this.appends.lastTold < this.chaseTarget; wait = Math.min(wait * 2, longest)) {
        await delay(wait);
        try {
          const head = await this.readableHead();
          if (head > this.appends.lastTold) this.appends.appended(head);
        } catch {
          // Try again at the next turn.
        }
      }
    })().finally(() => (this.chasing = false));
  }

  /**
   * While someone listens: other processes' appends are heard of by LISTEN (each append
   * NOTIFYs in its transaction, so the news arrives at its commit) and, should a notice be
   * lost with its connection, by polling the readable head every poll interval.
   */
  private watchOtherWriters(): () => void {
    this.listened = true;
    let stopped = false;
    let listener: pg.Client | undefined;
    const commitsBefore = this.commits;
    // Where listening starts: appends before it are not told, unless this store made one meanwhile (that one is told).
    void this.readableHead()
      .then((head) => {
        if (!stopped && this.commits === commitsBefore) this.appends.seen(head);
      })
      .catch(() => undefined);
    const poll = setInterval(() => {
      if (this.closed) return;
      this.readableHead()
        .then((head) => head > this.appends.lastTold && this.appends.appended(head))
        .catch(() => undefined);
    }, this.options.pollIntervalMs ?? 250);
    poll.unref();
    const listen = async () => {
      const client = new pg.Client({ connectionString: this.url, application_name: 'arrears-event-store-listen' });
      client.on('error', () => undefined);
      client.on('notification', ({ payload }) => {
        const [schema, position] = (payload ?? '').split(':');
        if (schema === this.schema && Number(position) > this.appends.lastTold) this.chase(Number(position));
      });
      await client.connect();
      if (stopped) return void (await client.end());
      listener = client;
      await client.query(`LISTEN ${APPENDS_CHANNEL}`);
    };
    listen().catch(() => undefined);
    return () => {
      stopped = true;
      this.listened = false;
      clearInterval(poll);
      void listener?.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopHearingElsewhere();
    this.appends.close();
    await this.pool.end();
  }
}

/** The xmin of the statement's snapshot: every transaction below it has ended. */
const HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())';

const EVENT_COLUMNS = `e.position, s.name, e.revision, e.event_id, e.type, e.data::text AS data, e.metadata::text AS metadata,
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

/** Data and metadata are parsed on first use, as in the embedded store. */
function toStoredEvent(row: EventRow): StoredEvent {
  let data: unknown;
  let metadata: EventMetadata | undefined;
  return {
    id: row.event_id,
    stream: row.name,
    type: row.type,
    get data() {
      return (data ??= JSON.parse(row.data));
    },
    get metadata() {
      return (metadata ??= JSON.parse(row.metadata) as EventMetadata);
    },
    revision: row.revision,
    position: Number(row.position),
    recordedAt: row.recorded_at,
  };
}
