import { ANY, NO_STREAM, START, STREAM_EXISTS, WrongExpectedVersionError } from '@eventstore/db-client';
import {
  fromClientCurrentRevision,
  fromClientExpectedRevision,
  isApplicationStream,
  snapshotStreamOf,
  toClientExpectedRevision,
  toGlobalPosition,
  toPortError,
  toReadPosition,
  toStoredEvent,
} from '../../src/infrastructure/eventstoredb/eventstoredb-mapping.js';
import { WrongExpectedRevisionError } from '../../src/kernel/event-store/wrong-expected-revision.error.js';

/** The EventStoreDB adapter's translations, without a server. */
describe('EventStoreDB mapping', () => {
  it('maps expected revisions to the client constants and bigint revisions, and back', () => {
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream-exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision(0)).toBe(0n);
    expect(toClientExpectedRevision(41)).toBe(41n);
    for (const expected of ['any', 'no-stream', 'stream-exists', 0, 41] as const) expect(fromClientExpectedRevision(toClientExpectedRevision(expected))).toBe(expected);
    expect(fromClientCurrentRevision(NO_STREAM)).toBe('no-stream');
    expect(fromClientCurrentRevision(7n)).toBe(7);
  });

  it("turns the client's wrong-expected-version error into the port's conflict, naming the stream and both revisions", () => {
    const clientError = new WrongExpectedVersionError(undefined, { streamName: 'loan-L-1', expected: 3n, current: 5n });
    const mapped = toPortError(clientError, 'loan-L-1', 3);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ stream: 'loan-L-1', expectedRevision: 3, actualRevision: 5 });
    const none = toPortError(new WrongExpectedVersionError(undefined, { streamName: 'loan-L-2', expected: STREAM_EXISTS, current: NO_STREAM }), 'loan-L-2', 'stream-exists');
    expect(none).toMatchObject({ expectedRevision: 'stream-exists', actualRevision: 'no-stream' });
    const other = new Error('connection reset');
    expect(toPortError(other, 'loan-L-1', 3)).toBe(other);
  });

  it('keeps $all positions as numbers and reads on from a checkpoint', () => {
    expect(toGlobalPosition({ commit: 1_234_567n, prepare: 1_234_567n })).toBe(1_234_567);
    expect(() => toGlobalPosition(undefined)).toThrow(/without a position/);
    expect(toReadPosition(0)).toBe(START);
    expect(toReadPosition(1_234_567)).toEqual({ commit: 1_234_567n, prepare: 1_234_567n });
  });

  it('leaves EventStoreDB’s own streams and the snapshot streams out of the global log', () => {
    expect(isApplicationStream('loan-L-1')).toBe(true);
    expect(isApplicationStream('$stats-127.0.0.1:2113')).toBe(false);
    expect(isApplicationStream(snapshotStreamOf('loan-L-1'))).toBe(false);
  });

  it('reads a recorded event as the port’s, with the recorded instant from the metadata when there is one', () => {
    const created = new Date('2026-03-01T10:00:00.123Z');
    const base = { id: 'e-1', streamId: 'loan-L-1', type: 'PaymentReceived', revision: 4n, data: { paymentId: 'P-1' }, created, position: { commit: 900n, prepare: 900n } };
    expect(toStoredEvent({ ...base, metadata: { actor: 'servicer', recordedAt: '2026-03-01T10:00:00.100Z' } })).toEqual({
      id: 'e-1',
      stream: 'loan-L-1',
      type: 'PaymentReceived',
      data: { paymentId: 'P-1' },
      metadata: { actor: 'servicer', recordedAt: '2026-03-01T10:00:00.100Z' },
      revision: 4,
      position: 900,
      recordedAt: '2026-03-01T10:00:00.100Z',
    });
    expect(toStoredEvent({ ...base, metadata: undefined })).toMatchObject({ metadata: {}, recordedAt: '2026-03-01T10:00:00.123Z' });
  });
});
