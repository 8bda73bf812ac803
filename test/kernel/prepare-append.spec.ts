import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { commandHash } from '../../src/kernel/commands/command-hash.js';
import { CommandPipeline } from '../../src/kernel/commands/command-pipeline.js';
import { prepareAppend } from '../../src/kernel/commands/prepare-append.js';
import type { Decider } from '../../src/kernel/decider.js';
import { EventUpcasters } from '../../src/kernel/event-store/event-upcasters.js';
import { type TallyCommand, type TallyEvent, type TallyState, tallyDecider } from '../fixtures/tally.decider.js';

/** The tally, adding in two events: the second event's id and metadata are checked too. */
const twoEventTally: Decider<TallyCommand, TallyEvent, TallyState> = {
  ...tallyDecider,
  decide: (command, state) =>
    command.kind === 'add'
      ? [
          { type: 'TallyAdded', data: { amount: command.amount - 1 } },
          { type: 'TallyAdded', data: { amount: 1 } },
        ]
      : tallyDecider.decide(command, state),
};

// TallyAdded is written in version 2, so the stamped schema version is not just the default.
const schemas = new EventUpcasters([{ type: 'TallyAdded', fromVersion: 1, upcast: (data) => data }]);

const context = (commandId: string): CommandContext => ({ commandId, correlationId: 'corr-1', causationId: 'cause-1', actor: 'servicer:test' });

describe('prepareAppend', () => {
  let store: SqliteEventStore;
  afterEach(() => store.close());

  it('gives exactly the events the pipeline appends for the same command: ids, types, data and metadata, key for key', async () => {
    store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
    const pipeline = new CommandPipeline(store, { maxAttempts: 1, schemas });
    const stream = 'tally-1';
    const commands: Array<[TallyCommand, CommandContext]> = [
      [{ kind: 'open', tallyId: '1' }, context('c-open')],
      [{ kind: 'add', amount: 5 }, context('c-add')],
    ];
    let state = twoEventTally.initialState();
    const prepared = [];
    for (const [command, commandContext] of commands) {
      await pipeline.run(twoEventTally, stream, command, commandContext);
      const decided = twoEventTally.decide(command, state);
      state = decided.reduce(twoEventTally.evolve, state);
      prepared.push(...prepareAppend(decided, { stream, context: commandContext, commandHash: commandHash(command), schemas }));
    }

    const stored = await store.readStream(stream);
    expect(stored).toHaveLength(3);
    // The store adds the hash chain to what the pipeline gave it; the rest is compared as serialised, so key order counts.
    const asWritten = stored.map(({ id, type, data, metadata: { hash: _hash, previousHash: _previous, ...metadata } }) => ({ id, type, data, metadata }));
    expect(JSON.stringify(asWritten)).toBe(JSON.stringify(prepared));
    expect(prepared.map((e) => e.metadata?.['schemaVersion'])).toEqual([1, 2, 2]);
    expect(new Set(prepared.map((e) => e.id)).size).toBe(3);
  });
});
