import { jest } from '@jest/globals';
import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { CommandIdReusedError } from '../../src/kernel/commands/command-id-reused.error.js';
import { CommandPipeline } from '../../src/kernel/commands/command-pipeline.js';
import type { EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { type TallyCommand, snapshottedTallyDecider, tallyDecider } from '../fixtures/tally.decider.js';

const context = (commandId: string): CommandContext => ({ commandId, correlationId: commandId, causationId: commandId, actor: 'servicer:test' });
const add = (amount: number): TallyCommand => ({ kind: 'add', amount });

/**
 * The store, counting the reads that load an aggregate: its snapshot, or its stream from the
 * first event (reading back what a command has just appended is not a load).
 */
function loadsCounted(store: EventStore): { store: EventStore; loads: () => number } {
  let reads = 0;
  const spy = Object.assign(Object.create(store) as EventStore, {
    readStream: (stream: string, fromRevision = 0) => {
      if (fromRevision === 0) reads++;
      return store.readStream(stream, fromRevision);
    },
    readSnapshot: (stream: string, schema: string) => {
      reads++;
      return store.readSnapshot(stream, schema);
    },
  });
  return { store: spy, loads: () => reads };
}

describe('CommandPipeline with cached aggregates', () => {
  let store: SqliteEventStore;

  beforeEach(() => {
    store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
  });
  afterEach(() => store.close());

  /** Two pipelines keeping states of their own on one store, as two processes of the engine would. */
  const twoProcesses = (maxAttempts = 3) => ({
    ours: new CommandPipeline(store, { maxAttempts, cachedAggregates: 10 }),
    theirs: new CommandPipeline(store, { maxAttempts, cachedAggregates: 10 }),
  });

  /** Our pipeline keeps the tally at revision 1 (total 1); theirs has since added 100 (revision 2). */
  async function keptStateBehindTheStream(): Promise<CommandPipeline> {
    const { ours, theirs } = twoProcesses();
    await ours.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    await ours.run(tallyDecider, 'tally-1', add(1), context('c-1'));
    await theirs.run(tallyDecider, 'tally-1', add(100), context('c-theirs'));
    return ours;
  }

  it('decides the next command on the state it left, without reading the stream again', async () => {
    const { store: counted, loads } = loadsCounted(store);
    const pipeline = new CommandPipeline(counted, { maxAttempts: 3, cachedAggregates: 10 });
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    const before = loads();
    for (const [i, amount] of [1, 2, 3].entries()) await pipeline.run(tallyDecider, 'tally-1', add(amount), context(`c-${i}`));
    const outcome = await pipeline.run(tallyDecider, 'tally-1', add(4), context('c-last'));

    expect(loads()).toBe(before);
    expect(outcome.state).toEqual({ open: true, total: 10 });
    expect(outcome.revision).toBe(4);
  });

  it('sees what another process appended since, and decides on it', async () => {
    const ours = await keptStateBehindTheStream();

    const outcome = await ours.run(tallyDecider, 'tally-1', add(2), context('c-2'));
    expect(outcome.state.total).toBe(103);
    expect(outcome.revision).toBe(3);
    expect((await store.readStream('tally-1')).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
  });

  it('never refuses a command on a state another process has moved on from', async () => {
    const pipeline = new CommandPipeline(store, { maxAttempts: 3, cachedAggregates: 10 });
    await store.appendToStream('tally-1', [{ id: crypto.randomUUID(), type: 'TallyAdded', data: { amount: 5 } }], 'no-stream');
    await expect(pipeline.run(tallyDecider, 'tally-1', add(1), context('c-1'))).rejects.toMatchObject({ code: 'TALLY.NOT_FOUND' });
    // Opened by another writer: a command decided on the state kept above would be refused again.
    await store.appendToStream('tally-1', [{ id: crypto.randomUUID(), type: 'TallyOpened', data: { tallyId: '1' } }], 0);

    const outcome = await pipeline.run(tallyDecider, 'tally-1', add(2), context('c-2'));
    expect(outcome.state).toEqual({ open: true, total: 7 });
  });

  it('asks the store for nothing before appending a command decided on the state it kept', async () => {
    const pipeline = new CommandPipeline(store, { maxAttempts: 3, cachedAggregates: 10 });
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    const revisionReads = jest.spyOn(store, 'streamRevision');
    const snapshotReads = jest.spyOn(store, 'readSnapshot');
    const streamReads = jest.spyOn(store, 'readStream');

    await pipeline.run(tallyDecider, 'tally-1', add(1), context('c-1'));
    expect([revisionReads, snapshotReads, streamReads].map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
  });

  it('decides again, without using up an attempt, when a kept state was behind the stream', async () => {
    // One attempt only: the conflict with the kept state must not be what refuses the command.
    const { ours, theirs } = twoProcesses(1);
    await ours.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    await theirs.run(tallyDecider, 'tally-1', add(100), context('c-theirs'));

    const outcome = await ours.run(tallyDecider, 'tally-1', add(2), context('c-2'));
    expect(outcome).toMatchObject({ revision: 2, state: { total: 102 } });
  });

  it('answers a command that changes nothing with the stream as the store has it, not as it was kept', async () => {
    const ours = await keptStateBehindTheStream();

    const nothing = await ours.run(tallyDecider, 'tally-1', add(0), context('c-nothing'));
    expect(nothing).toMatchObject({ events: [], revision: 2, state: { total: 101 } });
  });

  it('answers a repeat with the stream as the store has it, after another process appended', async () => {
    const { ours, theirs } = twoProcesses();
    await ours.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    const first = await ours.run(tallyDecider, 'tally-1', add(5), context('c-early'));
    await theirs.run(tallyDecider, 'tally-1', add(100), context('c-theirs'));

    const again = await ours.run(tallyDecider, 'tally-1', add(5), context('c-early'));
    expect(again).toMatchObject({ repeated: true, events: first.events, revision: 2, state: { total: 105 } });
    expect(await store.readStream('tally-1')).toHaveLength(3);
  });

  it('still recognises a repeated command, and refuses its id for another command', async () => {
    const pipeline = new CommandPipeline(store, { maxAttempts: 3, cachedAggregates: 10 });
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    const first = await pipeline.run(tallyDecider, 'tally-1', add(5), context('c-early'));
    await pipeline.run(tallyDecider, 'tally-1', add(1), context('c-later'));

    const again = await pipeline.run(tallyDecider, 'tally-1', add(5), context('c-early'));
    expect(again).toMatchObject({ repeated: true, events: first.events, state: { total: 6 } });
    await expect(pipeline.run(tallyDecider, 'tally-1', add(7), context('c-early'))).rejects.toBeInstanceOf(CommandIdReusedError);
    expect(await store.readStream('tally-1')).toHaveLength(3);
  });

  it("keeps one aggregate's state from another decider reading the same stream name", async () => {
    const pipeline = new CommandPipeline(store, { maxAttempts: 3, cachedAggregates: 10 });
    await pipeline.run(snapshottedTallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    await pipeline.run(snapshottedTallyDecider, 'tally-1', add(2), context('c-1'));
    const { store: counted, loads } = loadsCounted(store);
    const shared = new CommandPipeline(counted, { maxAttempts: 3, cachedAggregates: 10 });
    await shared.run(snapshottedTallyDecider, 'tally-1', add(1), context('c-2'));
    const afterFirstLoad = loads();
    await shared.run(tallyDecider, 'tally-1', add(1), context('c-3'));
    expect(loads()).toBeGreaterThan(afterFirstLoad);
  });

  it('loads from the store again once a state is among the least recently used beyond its capacity', async () => {
    const { store: counted, loads } = loadsCounted(store);
    const pipeline = new CommandPipeline(counted, { maxAttempts: 3, cachedAggregates: 2 });
    for (const id of ['a', 'b', 'c']) await pipeline.run(tallyDecider, `tally-${id}`, { kind: 'open', tallyId: id }, context(`open-${id}`));

    const before = loads();
    await pipeline.run(tallyDecider, 'tally-c', add(1), context('c-c'));
    await pipeline.run(tallyDecider, 'tally-b', add(1), context('c-b'));
    expect(loads()).toBe(before);
    const outcome = await pipeline.run(tallyDecider, 'tally-a', add(1), context('c-a'));
    expect(loads()).toBeGreaterThan(before);
    expect(outcome.state).toEqual({ open: true, total: 1 });
  });

  describe('a batch, which visits each stream once (close of business)', () => {
    const batchOf = (commandId: string, ...ids: string[]) => ids.map((id) => ({ stream: `tally-${id}`, command: add(1), context: context(`${commandId}-${id}`) }));

    it('keeps none of the states it loads or writes for streams not kept before', async () => {
      const { store: counted, loads } = loadsCounted(store);
      const opening = new CommandPipeline(store, { maxAttempts: 3, cachedAggregates: 10 });
      for (const id of ['a', 'b']) await opening.run(tallyDecider, `tally-${id}`, { kind: 'open', tallyId: id }, context(`open-${id}`));
      const pipeline = new CommandPipeline(counted, { maxAttempts: 3, cachedAggregates: 10 });

      await pipeline.runBatch(tallyDecider, batchOf('day-1', 'a', 'b'));
      const afterBatch = loads();
      const outcome = await pipeline.run(tallyDecider, 'tally-a', add(5), context('c-a'));
      expect(loads()).toBeGreaterThan(afterBatch);
      expect(outcome.state).toEqual({ open: true, total: 6 });
    });

    it('uses a kept state and leaves it current: the next command is decided on it without a read or a conflict', async () => {
      const { store: counted, loads } = loadsCounted(store);
      const pipeline = new CommandPipeline(counted, { maxAttempts: 1, cachedAggregates: 10 });
      await pipeline.run(tallyDecider, 'tally-a', { kind: 'open', tallyId: 'a' }, context('open-a'));
      const before = loads();

      const [batched] = await pipeline.runBatch(tallyDecider, batchOf('day-1', 'a'));
      const outcome = await pipeline.run(tallyDecider, 'tally-a', add(5), context('c-a'));
      expect(loads()).toBe(before);
      expect(batched!.revision).toBe(1);
      expect(outcome.state).toEqual({ open: true, total: 6 });
      expect(outcome.revision).toBe(2);
    });

    it('pushes out none of the states in use, however many streams it visits', async () => {
      const { store: counted, loads } = loadsCounted(store);
      const pipeline = new CommandPipeline(counted, { maxAttempts: 3, cachedAggregates: 2 });
      for (const id of ['a', 'b', 'c', 'd']) await pipeline.run(tallyDecider, `tally-${id}`, { kind: 'open', tallyId: id }, context(`open-${id}`));
      // Kept now: c and d, the two used last.
      await pipeline.runBatch(tallyDecider, batchOf('day-1', 'a', 'b', 'c'));
      const before = loads();
      await pipeline.run(tallyDecider, 'tally-c', add(1), context('c-c'));
      await pipeline.run(tallyDecider, 'tally-d', add(1), context('c-d'));
      expect(loads()).toBe(before);
    });
  });

  it('loads every command from the store when it keeps none', async () => {
    const { store: counted, loads } = loadsCounted(store);
    const pipeline = new CommandPipeline(counted, { maxAttempts: 3, cachedAggregates: 0 });
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    const before = loads();
    await pipeline.run(tallyDecider, 'tally-1', add(1), context('c-1'));
    expect(loads()).toBeGreaterThan(before);
  });
});
