import { setTimeout as sleep } from 'node:timers/promises';
import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { CommandPipeline } from '../../src/kernel/commands/command-pipeline.js';
import type { EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { tallyDecider } from '../fixtures/tally.decider.js';

const context = (commandId: string): CommandContext => ({ commandId, correlationId: commandId, causationId: commandId, actor: 'servicer:test' });

/**
 * The embedded store answers synchronously, so one process's commands never interleave on
 * it; a network store (EventStoreDB) answers after real I/O, and they do. This store takes
 * a few milliseconds over every call, as such a store does.
 */
function storeWithLatency(store: SqliteEventStore, delayFor: (method: string, args: unknown[]) => Promise<void>): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await delayFor(String(property), args);
        return value.apply(target, args);
      };
    },
  }) as EventStore;
}

describe('CommandPipeline with many commands on one stream at once', () => {
  let sqlite: SqliteEventStore;
  beforeEach(() => {
    sqlite = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
  });
  afterEach(() => sqlite.close());

  it('runs every one of 200 concurrent commands on one stream, repeats answered from the first, within the default attempts', async () => {
    const store = storeWithLatency(sqlite, () => sleep(1 + Math.random() * 2));
    const pipeline = new CommandPipeline(store, { maxAttempts: 5 });
    await pipeline.run(tallyDecider, 'tally-1', { kind: 'open', tallyId: '1' }, context('open'));

    const adds = Array.from({ length: 200 }, (_, i) => ({ id: `add-${i}`, amount: i + 1 }));
    const sends = [...adds, ...adds.filter((_, i) => i % 4 === 0)];
    const outcomes = await Promise.allSettled(sends.map(({ id, amount }) => pipeline.run(tallyDecider, 'tally-1', { kind: 'add', amount }, context(id))));

    // A valid command must not be refused because others on its stream arrived with it.
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    const events = await sqlite.readStream('tally-1');
    expect(events).toHaveLength(1 + adds.length);
    expect(events.slice(1).map((e) => e.metadata['commandId']).sort()).toEqual(adds.map((a) => a.id).sort());
    const repeats = outcomes.slice(adds.length).flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(repeats.every((r) => r.repeated)).toBe(true);
    expect(repeats.map((r) => r.events)).toEqual(adds.filter((_, i) => i % 4 === 0).map((a) => [events.find((e) => e.metadata['commandId'] === a.id)]));
  });

  it('keeps streams independent: a command on one stream does not wait for a slow one on another', async () => {
    let releaseSlow!: () => void;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    const store = storeWithLatency(sqlite, async (method, args) => {
      if (method === 'appendToStream' && args[0] === 'tally-slow') await slow;
    });
    const pipeline = new CommandPipeline(store, { maxAttempts: 5 });

    const stuck = pipeline.run(tallyDecider, 'tally-slow', { kind: 'open', tallyId: 'slow' }, context('open-slow'));
    await expect(pipeline.run(tallyDecider, 'tally-fast', { kind: 'open', tallyId: 'fast' }, context('open-fast'))).resolves.toMatchObject({ revision: 0 });
    releaseSlow();
    await expect(stuck).resolves.toMatchObject({ revision: 0 });
  });
});
