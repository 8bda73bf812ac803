import {
  ANY,
  type AppendExpectedRevision,
  type CurrentRevision,
  NO_STREAM,
  type Position,
  type ReadPosition,
  START,
  STREAM_EXISTS,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { EventMetadata, ExpectedRevision, GlobalPosition, StoredEvent, StreamRevision } from '../../kernel/event-store/event-store.port.js';
import { START_OF_LOG } from '../../kernel/event-store/event-store.port.js';
import { WrongExpectedRevisionError } from '../../kernel/event-store/wrong-expected-revision.error.js';

/**
 * Everything that translates between the port and @eventstore/db-client lives here, pure, so
 * it is tested without a server; no client type leaves the adapter.
 */
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

export function fromClientExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  if (expected === ANY) return 'any';
  if (expected === NO_STREAM) return 'no-stream';
  if (expected === STREAM_EXISTS) return 'stream-exists';
  return Number(expected);
}

export function fromClientCurrentRevision(actual: CurrentRevision): StreamRevision | 'no-stream' {
  return actual === NO_STREAM ? 'no-stream' : Number(actual);
}

/** The client's conflict as the port's: anything else passes through unchanged. */
export function toPortError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  return new WrongExpectedRevisionError(stream, expected, fromClientCurrentRevision(error.actualVersion));
}

/**
 * A position in $all as the port's number: the commit position. Appends here write one
 * event per log record, whose commit and prepare positions coincide, so the commit position
 * names an event exactly and sorts in log order; it stays far below 2^53.
 */
export function toGlobalPosition(position: Position | undefined): GlobalPosition {
  if (!position) throw new Error('EventStoreDB returned an event without a position in $all');
  return Number(position.commit);
}

/** Where to start reading $all to see what comes at or after `position` (reads skip the event at the checkpoint itself). */
export function toReadPosition(position: GlobalPosition): ReadPosition {
  return position === START_OF_LOG ? START : { commit: BigInt(position), prepare: BigInt(position) };
}

/** The recorded instant lives in the metadata (it is part of the hash); the server's own is the fallback. */
export const RECORDED_AT = 'recordedAt';

/** Streams that are not the application's: EventStoreDB's own ($…), and the adapter's snapshot streams. */
export const SNAPSHOT_STREAM_PREFIX = 'arrears-snapshot.';

export function isApplicationStream(stream: string): boolean {
  return !stream.startsWith('$') && !stream.startsWith(SNAPSHOT_STREAM_PREFIX);
}

export function snapshotStreamOf(stream: string): string {
  return `${SNAPSHOT_STREAM_PREFIX}${stream}`;
}

interface ClientRecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly type: string;
  readonly revision: bigint;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly created: Date;
  readonly position?: Position;
}

export function toStoredEvent(event: ClientRecordedEvent): StoredEvent {
  const metadata = (event.metadata ?? {}) as EventMetadata;
  return {
    id: event.id,
    stream: event.streamId,
    type: event.type,
    data: event.data,
    metadata,
    revision: Number(event.revision),
    position: event.position ? toGlobalPosition(event.position) : START_OF_LOG,
    recordedAt: typeof metadata[RECORDED_AT] === 'string' ? (metadata[RECORDED_AT] as string) : event.created.toISOString(),
  };
}
