import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { CommandIdReusedError } from '../../src/kernel/commands/command-id-reused.error.js';
import { CommandPipeline } from '../../src/kernel/commands/command-pipeline.js';
import { BusinessRuleViolation } from '../../src/kernel/errors/domain-error.js';
import type { EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { StreamBusyError } from '../../src/kernel/event-store/stream-busy.error.js';
import { WrongExpectedRevisionError } from '../../src/kernel/event-store/wrong-expected-revision.error.js';
import { tallyDecider } from '../fixtures/tally.decider.js';
import { someEvents } from '../support/events.js';

const context = (commandId: string): CommandContext => ({
  commandId,
  correlationId: 'corr-1',
  causationId: 'cause-1',
  actor: 'servicer:test',
});

/** An event store on which another writer appends to `stream` just before each of our first N appends. */
function racingStore(store: SqliteEventStore, stream: string, races: number): EventStore {
  let remaining = races;
  return Object.assign(Object.create(store) as EventStore, {
    appendToStream: async (...args: Parameters<EventStore['appendToStream']>) => {
      if (remaining-- > 0) {
        const revision = (await store.readStream(stream)).length - 1;
        await store.appendToStream(stream, [{ id: crypto.randomUUID(), type: 'TallyAdded', data: { amount: 100 } }], revision);
      }
      return store.appendToStream(...args);
    },
  });
}

describe('CommandPipeline', () => {
  let store: SqliteEventStore;
  let pipeline: CommandPipeline;

  beforeEach(() => {
    store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    pipeline = new CommandPipeline(store, { maxAttempts: 3 });
  });
  afterEach(() => store.close());

  it('appends the decided events with the command context and schema version in their metadata', async () => {
    const outcome = await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-1'));
    expect(outcome).toMatchObject({ repeated: false, revision: 0, state: { open: true, total: 0 } });
    const [stored] = await store.readStream('tally-1');
    expect(stored).toMatchObject({ type: 'TallyOpened', data: { tallyId: '1' } });
    expect(stored!.metadata).toEqual({
      commandId: 'c-1',
      commandHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: 'servicer:test',
      schemaVersion: 1,
      // Added by the store: the hash chain (see the contract suite).
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      previousHash: null,
    });
    expect(outcome.events).toEqual([stored]);
  });

  it('folds the stream before deciding', async () => {
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-1'));
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'add', amount: 5 }, context('c-2'));
    const outcome = await pipeline.run(tallyDecider, 'tally-1', { kind: 'add', amount: 7 }, context('c-3'));
    expect(outcome.state.total).toBe(12);
    expect(outcome.revision).toBe(2);
  });

  it('appends nothing when the decider rejects the command', async () => {
    await expect(pipeline.run(tallyDecider, 'tally-1', { kind: 'add', amount: 5 }, context('c-1'))).rejects.toMatchObject({
      code: 'TALLY.NOT_FOUND',
    });
    expect(await store.readStream('tally-1')).toEqual([]);
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-1'));
    await expect(pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-2'))).rejects.toBeInstanceOf(
      BusinessRuleViolation,
    );
    expect(await store.readStream('tally-1')).toHaveLength(1);
  });

  it('returns the first result for a repeated command id and appends nothing', async () => {
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-1'));
    const first = await pipeline.run(tallyDecider, 'tally-1', { kind: 'add', amount: 5 }, context('c-2'));
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'add', amount: 1 }, context('c-3'));

    const again = await pipeline.run(tallyDecider, 'tally-1', { amount: 5, kind: 'add' }, context('c-2'));
    expect(again.repeated).toBe(true);
    expect(again.events).toEqual(first.events);
    expect(await store.readStream('tally-1')).toHaveLength(3);
  });

  it('refuses a command id reused for a different command, appending nothing', async () => {
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-1'));
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'add', amount: 5 }, context('c-2'));
    await expect(pipeline.run(tallyDecider, 'tally-1', { kind: 'add', amount: 6 }, context('c-2'))).rejects.toBeInstanceOf(
      CommandIdReusedError,
    );
    expect(await store.readStream('tally-1')).toHaveLength(2);
  });

  it('decides again on the new state when another writer appended first', async () => {
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-1'));
    const racing = new CommandPipeline(racingStore(store, 'tally-1', 2), { maxAttempts: 3 });
    const outcome = await racing.run(tallyDecider, 'tally-1', { kind: 'add', amount: 5 }, context('c-2'));
    expect(outcome.state.total).toBe(205);
    expect((await store.readStream('tally-1')).map((e) => e.type)).toEqual([
      'TallyOpened',
      'TallyAdded',
      'TallyAdded',
      'TallyAdded',
    ]);
  });

  it('gives up after the bounded number of attempts with a retryable STREAM.BUSY, not the race itself, pausing between attempts', async () => {
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-1'));
    const pauses: number[] = [];
    const racing = new CommandPipeline(racingStore(store, 'tally-1', 3), { maxAttempts: 3, pauseAfterConflict: async (attempt) => void pauses.push(attempt) });
    const refused = racing.run(tallyDecider, 'tally-1', { kind: 'add', amount: 5 }, context('c-2'));
    await expect(refused).rejects.toBeInstanceOf(StreamBusyError);
    await expect(refused).rejects.not.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(refused).rejects.toMatchObject({ code: 'STREAM.BUSY', kind: 'unavailable', details: { stream: 'tally-1', attempts: 3 } });
    expect(pauses).toEqual([1, 2]);
    expect((await store.readStream('tally-1')).filter((e) => e.metadata['commandId'] === 'c-2')).toEqual([]);
  });

  it('appends nothing when the decision is empty', async () => {
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-1'));
    const outcome = await pipeline.run(tallyDecider, 'tally-1', { kind: 'add', amount: 0 }, context('c-2'));
    expect(outcome.events).toEqual([]);
    expect(await store.readStream('tally-1')).toHaveLength(1);
  });

  it('is unaffected by events of other streams', async () => {
    await store.appendToStream('tally-2', someEvents(3), 'no-stream');
    const outcome = await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('c-1'));
    expect(outcome.revision).toBe(0);
  });

  describe('runBatch', () => {
    const open = (tallyId: string) => ({ stream: `tally-${tallyId}`, command: { kind: 'open', tallyId } as const, context: context(`open-${tallyId}`) });
    const add = (tallyId: string, amount: number, commandId: string) => ({
      stream: `tally-${tallyId}`,
      command: { kind: 'add', amount } as const,
      context: context(commandId),
    });

    /** Counts the calls of each append method, and lets another writer append to `raced` just before the batch. */
    function instrumented(raced?: string) {
      const calls = { appendToStream: 0, appendToStreams: 0 };
      const wrapped = Object.assign(Object.create(store) as EventStore, {
        appendToStream: (...args: Parameters<EventStore['appendToStream']>) => {
          calls.appendToStream++;
          return store.appendToStream(...args);
        },
        appendToStreams: async (...args: Parameters<EventStore['appendToStreams']>) => {
          calls.appendToStreams++;
          if (raced) await store.appendToStream(raced, [{ id: crypto.randomUUID(), type: 'TallyAdded', data: { amount: 100 } }], 'any');
          raced = undefined;
          return store.appendToStreams(...args);
        },
      });
      return { pipeline: new CommandPipeline(wrapped, { maxAttempts: 3 }), calls };
    }

    beforeEach(async () => {
      await pipeline.runBatch(tallyDecider, ['a', 'b', 'c'].map(open));
    });

    it('appends the decisions on several streams in one call, answering in the order asked', async () => {
      const { pipeline: batching, calls } = instrumented();
      const outcomes = await batching.runBatch(tallyDecider, [add('a', 1, 'x-1'), add('b', 2, 'x-2'), add('c', 3, 'x-3')]);
      expect(calls).toEqual({ appendToStream: 0, appendToStreams: 1 });
      expect(outcomes.map((o) => [o.stream, o.state.total, o.revision, o.repeated])).toEqual([
        ['tally-a', 1, 1, false],
        ['tally-b', 2, 1, false],
        ['tally-c', 3, 1, false],
      ]);
      expect(outcomes[1]!.events).toEqual(await store.readStream('tally-b', 1));
    });

    it('answers a repeated command from the log and one deciding nothing without appending', async () => {
      const first = await pipeline.run(tallyDecider, 'tally-a', { kind: 'add', amount: 1 }, context('x-1'));
      const outcomes = await pipeline.runBatch(tallyDecider, [add('a', 1, 'x-1'), add('b', 0, 'x-2')]);
      expect(outcomes[0]).toMatchObject({ repeated: true, events: first.events });
      expect(outcomes[1]).toMatchObject({ repeated: false, events: [], revision: 0 });
      expect(await store.readStream('tally-a')).toHaveLength(2);
    });

    it('runs again on its own a command whose stream another writer moved meanwhile', async () => {
      const { pipeline: batching, calls } = instrumented('tally-b');
      const outcomes = await batching.runBatch(tallyDecider, [add('a', 1, 'x-1'), add('b', 2, 'x-2')]);
      expect(calls).toEqual({ appendToStream: 1, appendToStreams: 1 });
      expect(outcomes.map((o) => o.state.total)).toEqual([1, 102]);
      expect((await store.readStream('tally-b')).map((e) => e.type)).toEqual(['TallyOpened', 'TallyAdded', 'TallyAdded']);
    });

    it('a rejected command rejects the batch, which appends nothing', async () => {
      await expect(pipeline.runBatch(tallyDecider, [add('a', 1, 'x-1'), add('missing', 2, 'x-2')])).rejects.toMatchObject({
        code: 'TALLY.NOT_FOUND',
      });
      expect(await store.readStream('tally-a')).toHaveLength(1);
    });
  });
});
