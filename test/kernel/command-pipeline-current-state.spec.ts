import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { CommandPipeline } from '../../src/kernel/commands/command-pipeline.js';
import type { EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { type TallyCommand, snapshottedTallyDecider } from '../fixtures/tally.decider.js';

const context = (commandId: string): CommandContext => ({ commandId, correlationId: commandId, causationId: commandId, actor: 'servicer:test' });
const add = (amount: number): TallyCommand => ({ kind: 'add', amount });

/** The store, counting the reads that load an aggregate (its snapshot, or its events). */
function loadsCounted(store: EventStore): { store: EventStore; loads: () => number } {
  let reads = 0;
  const spy = Object.assign(Object.create(store) as EventStore, {
    readStream: (stream: string, fromRevision = 0) => {
      reads++;
      return store.readStream(stream, fromRevision);
    },
    readSnapshot: (stream: string, schema: string) => {
      reads++;
      return store.readSnapshot(stream, schema);
    },
  });
  return { store: spy, loads: () => reads };
}

/** CommandPipeline.currentState: what a read of an aggregate as it stands now is answered from (GET /loans/{id}). */
describe('CommandPipeline.currentState', () => {
  let store: SqliteEventStore;

  beforeEach(() => {
    store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
  });
  afterEach(() => store.close());

  it('answers with the state the last command left while the stream has not moved, loading nothing', async () => {
    const { store: counted, loads } = loadsCounted(store);
    const pipeline = new CommandPipeline(counted, { maxAttempts: 3, cachedAggregates: 10 });
    await pipeline.run(snapshottedTallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    for (const [i, amount] of [1, 2, 3, 4].entries()) await pipeline.run(snapshottedTallyDecider, 'tally-1', add(amount), context(`c-${i}`));
    const before = loads();
    expect(await pipeline.currentState(snapshottedTallyDecider, 'tally-1')).toEqual({ open: true, total: 10 });
    expect(loads()).toBe(before);
  });

  it('loads the stream when another process appended since, and keeps what it loaded', async () => {
    const ours = new CommandPipeline(store, { maxAttempts: 3, cachedAggregates: 10 });
    const theirs = new CommandPipeline(store, { maxAttempts: 3, cachedAggregates: 10 });
    await ours.run(snapshottedTallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    await ours.run(snapshottedTallyDecider, 'tally-1', add(1), context('c-1'));
    for (const [i, amount] of [10, 100, 1_000].entries()) await theirs.run(snapshottedTallyDecider, 'tally-1', add(amount), context(`t-${i}`));
    expect(await ours.currentState(snapshottedTallyDecider, 'tally-1')).toEqual({ open: true, total: 1_111 });
    // What it loaded is kept, and the next command decided on it.
    const outcome = await ours.run(snapshottedTallyDecider, 'tally-1', add(10_000), context('c-2'));
    expect(outcome.state).toEqual({ open: true, total: 11_111 });
  });

  it('loads a stream it keeps nothing of from its snapshot and the events after it, once', async () => {
    const writer = new CommandPipeline(store, { maxAttempts: 3 });
    await writer.run(snapshottedTallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));
    for (const [i, amount] of [1, 2, 3, 4, 5].entries()) await writer.run(snapshottedTallyDecider, 'tally-1', add(amount), context(`c-${i}`));
    const { store: counted, loads } = loadsCounted(store);
    const reader = new CommandPipeline(counted, { maxAttempts: 3, cachedAggregates: 10 });
    expect(await reader.currentState(snapshottedTallyDecider, 'tally-1')).toEqual({ open: true, total: 15 });
    expect(loads()).toBe(2);
    expect(await reader.currentState(snapshottedTallyDecider, 'tally-1')).toEqual({ open: true, total: 15 });
    expect(loads()).toBe(2);
  });

  it('gives the initial state for a stream that does not exist', async () => {
    const pipeline = new CommandPipeline(store, { maxAttempts: 3, cachedAggregates: 10 });
    expect(await pipeline.currentState(snapshottedTallyDecider, 'tally-none')).toEqual({ open: false, total: 0 });
  });
});
