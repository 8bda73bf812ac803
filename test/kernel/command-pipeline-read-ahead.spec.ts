import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { StreamReadAheadThread } from '../../src/infrastructure/sqlite/stream-read-ahead-thread.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { CommandPipeline, type StreamCommand } from '../../src/kernel/commands/command-pipeline.js';
import { EventUpcasters } from '../../src/kernel/event-store/event-upcasters.js';
import { UpcastingEventStore } from '../../src/kernel/event-store/upcasting-event-store.js';
import { type TallyCommand, snapshottedTallyDecider as tallies } from '../fixtures/tally.decider.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A batch whose streams were named to the store ahead (close of business, a page at a time)
 * is decided on what the embedded store's read-ahead thread read, with no read of its own,
 * and comes out as it would have read from the store, however the streams moved meanwhile.
 * The thread runs only from the build (`npm test` builds it first).
 */
const BUILT_WORKER = new URL('../../dist/src/infrastructure/sqlite/stream-read-ahead-worker.js', import.meta.url);

const context = (commandId: string): CommandContext => ({ commandId, correlationId: commandId, causationId: commandId, actor: 'servicer:test' });
const add = (tally: string, amount: number, commandId: string): StreamCommand<TallyCommand> => ({
  stream: `tally-${tally}`,
  command: { kind: 'add', amount },
  context: context(commandId),
});

describe('CommandPipeline.runBatch on streams read ahead', () => {
  let folder: string;
  let store: SqliteEventStore;
  let pipeline: CommandPipeline;
  let requestsRead: number;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-batch-read-ahead-'));
    const path = join(folder, 'events.sqlite');
    const thread = new StreamReadAheadThread(path, { error: () => undefined, warn: () => undefined }, BUILT_WORKER);
    requestsRead = 0;
    thread.onRead((said) => void (said.kind === 'read' && requestsRead++));
    store = new SqliteEventStore(openSqliteDatabase(path), { readAhead: thread });
    pipeline = new CommandPipeline(store, { maxAttempts: 3 });
    // Tally a at revision 4 with a snapshot at 2 (every three events); b at revision 1.
    await pipeline.run(tallies, 'tally-a', { kind: 'open', tallyId: 'a' }, context('open-a'));
    for (const n of [1, 2, 3, 4]) await pipeline.run(tallies, 'tally-a', { kind: 'add', amount: n }, context(`a-${n}`));
    await pipeline.run(tallies, 'tally-b', { kind: 'open', tallyId: 'b' }, context('open-b'));
    await pipeline.run(tallies, 'tally-b', { kind: 'add', amount: 10 }, context('b-1'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Names the commands' streams to the store, and waits until its thread has read them. */
  async function readAhead(commands: readonly StreamCommand<TallyCommand>[]): Promise<void> {
    const before = requestsRead;
    pipeline.readAhead(tallies, commands);
    await waitFor(() => requestsRead > before, 'the streams read ahead');
  }

  /** Counts the store's own reads of snapshots, streams and event ids from here on. */
  function storeReads(): () => number {
    const spies = [jest.spyOn(store, 'readSnapshot'), jest.spyOn(store, 'readStream'), jest.spyOn(store, 'locateEvent')];
    return () => spies.reduce((reads, spy) => reads + spy.mock.calls.length, 0);
  }

  it('decides each command on what was read ahead, reading nothing itself', async () => {
    const batch = [add('a', 5, 'x-a'), add('b', 20, 'x-b')];
    await readAhead(batch);
    const reads = storeReads();
    const outcomes = await pipeline.runBatch(tallies, batch);
    expect(reads()).toBe(0);
    expect(outcomes.map((o) => [o.stream, o.state.total, o.revision, o.repeated])).toEqual([
      ['tally-a', 15, 5, false],
      ['tally-b', 30, 2, false],
    ]);
    expect(outcomes[0]!.events).toEqual(await store.readStream('tally-a', 5));
  });

  it('answers a repeat from where the read found its first event id, with no look-up of its own', async () => {
    // a-2's event lies before the snapshot (revision 2), so outside what the load reads.
    const batch = [add('a', 2, 'a-2')];
    await readAhead(batch);
    const lookUps = jest.spyOn(store, 'locateEvent');
    const [outcome] = await pipeline.runBatch(tallies, batch);
    expect(lookUps).not.toHaveBeenCalled();
    expect(outcome).toMatchObject({ repeated: true, events: await store.readStream('tally-a', 2).then((events) => events.slice(0, 1)) });
    expect(await store.streamRevision('tally-a')).toBe(4);
  });

  it('runs a command again on the store\'s state when its stream moved after it was read', async () => {
    const batch = [add('a', 5, 'x-a'), add('b', 20, 'x-b')];
    await readAhead(batch);
    await pipeline.run(tallies, 'tally-b', { kind: 'add', amount: 100 }, context('meanwhile'));
    const outcomes = await pipeline.runBatch(tallies, batch);
    expect(outcomes.map((o) => [o.state.total, o.revision])).toEqual([
      [15, 5],
      [130, 3],
    ]);
    expect((await store.readStream('tally-b')).map((e) => e.data)).toEqual([{ tallyId: 'b' }, { amount: 10 }, { amount: 100 }, { amount: 20 }]);
  });

  it('never appends a command twice, though the same command landed after its stream was read', async () => {
    const batch = [add('b', 20, 'x-b')];
    await readAhead(batch);
    const first = await pipeline.run(tallies, 'tally-b', { kind: 'add', amount: 20 }, context('x-b'));
    const [outcome] = await pipeline.runBatch(tallies, batch);
    expect(outcome!.events).toEqual(first.events);
    expect((await store.readStream('tally-b')).map((e) => e.data)).toEqual([{ tallyId: 'b' }, { amount: 10 }, { amount: 20 }]);
  });

  it('refuses nothing, and answers nothing, on what the stream was before it moved', async () => {
    // Read before tally c was opened: on that state the decider would refuse the command.
    const batch = [add('c', 7, 'x-c'), add('b', 0, 'x-b')];
    await readAhead(batch);
    await pipeline.run(tallies, 'tally-c', { kind: 'open', tallyId: 'c' }, context('open-c'));
    await pipeline.run(tallies, 'tally-b', { kind: 'add', amount: 1 }, context('meanwhile'));
    const outcomes = await pipeline.runBatch(tallies, batch);
    expect(outcomes.map((o) => [o.stream, o.state.total, o.revision, o.events.length])).toEqual([
      ['tally-c', 7, 1, 1],
      // Nothing to append either way, but answered with the stream as it is now.
      ['tally-b', 11, 2, 0],
    ]);
  });

  it('hands the events over in their current shape through the upcasting store', async () => {
    const upcasters = new EventUpcasters([{ type: 'TallyAdded', fromVersion: 1, upcast: (data) => ({ amount: (data as { amount: number }).amount * 100 }) }]);
    const current = new UpcastingEventStore(store, upcasters);
    const batch = [add('b', 0, 'x-b')];
    await readAhead(batch);
    const read = current.takeReadAhead!('tally-b', tallies.snapshotting!.schema)!;
    expect(read.tail.map((event) => event.data)).toEqual([{ tallyId: 'b' }, { amount: 1000 }]);
  });
});
