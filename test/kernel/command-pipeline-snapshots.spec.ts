import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { CommandIdReusedError } from '../../src/kernel/commands/command-id-reused.error.js';
import { CommandPipeline } from '../../src/kernel/commands/command-pipeline.js';
import type { EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { type TallyCommand, snapshottedTallyDecider } from '../fixtures/tally.decider.js';

const context = (commandId: string): CommandContext => ({ commandId, correlationId: commandId, causationId: commandId, actor: 'servicer:test' });
const add = (amount: number): TallyCommand => ({ kind: 'add', amount });
const SCHEMA = snapshottedTallyDecider.snapshotting!.schema;

/** The store, recording the revision each stream read started from. */
function readsRecorded(store: EventStore): { store: EventStore; readsFrom: number[] } {
  const readsFrom: number[] = [];
  const spy = Object.assign(Object.create(store) as EventStore, {
    readStream: (stream: string, fromRevision = 0) => {
      readsFrom.push(fromRevision);
      return store.readStream(stream, fromRevision);
    },
  });
  return { store: spy, readsFrom };
}

// With the aggregate cache too: snapshots must still be kept on schedule when loads skip them.
describe.each([0, 100])('CommandPipeline with snapshots (cachedAggregates: %i)', (cachedAggregates) => {
  let store: SqliteEventStore;
  let pipeline: CommandPipeline;

  beforeEach(async () => {
    store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    pipeline = new CommandPipeline(store, { maxAttempts: 3, cachedAggregates });
    await pipeline.run(snapshottedTallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
  });
  afterEach(() => store.close());

  it('keeps a snapshot once every three events, of the state after them', async () => {
    await pipeline.run(snapshottedTallyDecider, 'tally-1', add(1), context('c-1'));
    expect(await store.readSnapshot('tally-1', SCHEMA)).toBeUndefined();
    await pipeline.run(snapshottedTallyDecider, 'tally-1', add(2), context('c-2'));
    expect(await store.readSnapshot('tally-1', SCHEMA)).toEqual({ schema: SCHEMA, revision: 2, state: { open: true, total: 3 } });
    for (const [i, amount] of [3, 4, 5].entries()) await pipeline.run(snapshottedTallyDecider, 'tally-1', add(amount), context(`c-${i + 3}`));
    expect(await store.readSnapshot('tally-1', SCHEMA)).toEqual({ schema: SCHEMA, revision: 5, state: { open: true, total: 15 } });
  });

  it('loads from the snapshot, reading only the events past it, to the same state as a fold of the whole stream', async () => {
    for (const [i, amount] of [1, 2, 3, 4].entries()) await pipeline.run(snapshottedTallyDecider, 'tally-1', add(amount), context(`c-${i}`));
    const { store: spied, readsFrom } = readsRecorded(store);
    const outcome = await new CommandPipeline(spied, { maxAttempts: 1 }).run(snapshottedTallyDecider, 'tally-1', add(10), context('c-next'));
    expect(readsFrom[0]).toBe(3);
    expect(outcome.state.total).toBe(20);
    const everything = (await store.readStream('tally-1')).reduce(
      (state, e) => snapshottedTallyDecider.evolve(state, { type: e.type, data: e.data } as never),
      snapshottedTallyDecider.initialState(),
    );
    expect(outcome.state).toEqual(everything);
  });

  it('recognises a repeated command whose events lie behind the snapshot, and a reused id there', async () => {
    const first = await pipeline.run(snapshottedTallyDecider, 'tally-1', add(5), context('c-early'));
    for (const [i, amount] of [1, 2, 3, 4].entries()) await pipeline.run(snapshottedTallyDecider, 'tally-1', add(amount), context(`c-${i}`));
    expect((await store.readSnapshot('tally-1', SCHEMA))!.revision).toBeGreaterThan(first.revision);

    const again = await pipeline.run(snapshottedTallyDecider, 'tally-1', add(5), context('c-early'));
    expect(again).toMatchObject({ repeated: true, events: first.events });
    await expect(pipeline.run(snapshottedTallyDecider, 'tally-1', add(6), context('c-early'))).rejects.toBeInstanceOf(CommandIdReusedError);
    expect(await store.readStream('tally-1')).toHaveLength(6);
  });

  it('ignores a snapshot of another schema', async () => {
    await pipeline.run(snapshottedTallyDecider, 'tally-1', add(1), context('c-1'));
    await store.appendToStream('tally-1', [], 1, { snapshot: { schema: 'tally-state/0', state: { open: true, total: 999 } } });
    const outcome = await pipeline.run(snapshottedTallyDecider, 'tally-1', add(2), context('c-2'));
    expect(outcome.state.total).toBe(3);
  });

  it('keeps a due snapshot even when the command decides nothing', async () => {
    await store.appendToStream('tally-1', [1, 2, 3].map((amount) => ({ id: crypto.randomUUID(), type: 'TallyAdded', data: { amount } })), 0);
    const outcome = await pipeline.run(snapshottedTallyDecider, 'tally-1', add(0), context('c-nothing'));
    expect(outcome.events).toEqual([]);
    expect(await store.readSnapshot('tally-1', SCHEMA)).toMatchObject({ revision: 3, state: { total: 6 } });
  });
});
