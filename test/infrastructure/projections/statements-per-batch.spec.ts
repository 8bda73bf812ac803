import type { KyselyPlugin } from 'kysely';
import { loanEvents } from '../../../bench/support/loan-portfolio.js';
import type { Projection, ReadModelDb } from '../../../src/infrastructure/projections/contract/projection.js';
import { applyBatchToDatabase } from '../../../src/infrastructure/projections/runner/apply-row-families.js';
import type { StoredEvent } from '../../../src/kernel/event-store/event-store.port.js';
import { loanStream } from '../../../src/loans/domain/loan-events.js';
import { allProjections } from '../../../src/read-models/all-projections.js';
import { collectionStream } from '../../../src/collections/domain/collection-events.js';
import { openTestReadModels } from '../../support/test-config.js';

/**
 * Issue 23: read models keep up because a batch costs a few round trips per row family (one
 * select, one delete, a multi-row upsert per set of columns to set: one on PostgreSQL, a
 * handful of kinds of change on SQLite), never one per event or per row.
 * Every projection the engine runs, on the read store under test (SQLite, or PostgreSQL in
 * the PostgreSQL pass): the statements a batch runs are counted, for a batch over a few
 * loans and borrowers and for one over ten times as many.
 */

/** Counts every statement executed through the database it is plugged into. */
class StatementCounter implements KyselyPlugin {
  count = 0;
  transformQuery: KyselyPlugin['transformQuery'] = (args) => args.node;
  transformResult: KyselyPlugin['transformResult'] = async (args) => {
    this.count++;
    return args.result;
  };
}

/** Loans L{first}..: their whole lives (origination to payoff, or months of daily closes), as stored events. */
function loanLives(first: number, loans: number, positions: { next: number }): StoredEvent[][] {
  return Array.from({ length: loans }, (_, offset) =>
    loanEvents(first + offset).map((event, revision) => storedEvent(loanStream(`L${first + offset}`), revision, event.type, event.data, positions)),
  );
}

/** A borrower's contacts: a time zone, a contact with a promise, one without, a stop request, the promise kept or broken. */
function collectionLife(borrower: string, positions: { next: number }): StoredEvent[] {
  const stream = collectionStream(borrower);
  const contact = (contactId: string, promise: object | null) => ({
    contactId,
    loanId: `L-${borrower}`,
    at: '2026-03-02T10:00:00+08:00',
    channel: 'phone',
    party: 'borrower',
    direction: 'outbound',
    connected: true,
    outcome: promise ? 'promise-to-pay' : 'no-answer',
    agentId: 'A-1',
    note: '',
    promise,
    madeOn: '2026-03-02',
    policy: 'default',
    violations: [],
  });
  const events: [string, unknown][] = [
    ['BorrowerTimeZoneRecorded', { timeZone: 'Asia/Shanghai', from: '2026-01-01T00:00:00+08:00' }],
    ['CollectionContactRecorded', contact(`${borrower}-C1`, { amount: 10_000, currency: 'CNY', dueOn: '2026-03-09' })],
    ['CollectionContactRecorded', contact(`${borrower}-C2`, null)],
    ['ContactRestrictionRecorded', { restrictionId: `${borrower}-R1`, kind: 'stop', channel: 'phone', requestedAt: '2026-03-03T09:00:00+08:00', reason: 'asked' }],
    [
      borrower.endsWith('1') ? 'PromiseToPayBroken' : 'PromiseToPayKept',
      { promiseId: `${borrower}-C1`, loanId: `L-${borrower}`, dueOn: '2026-03-09', brokenOn: '2026-03-10', keptOn: '2026-03-09', paid: 10_000 },
    ],
  ];
  return events.map(([type, data], revision) => storedEvent(stream, revision, type, data, positions));
}

function storedEvent(stream: string, revision: number, type: string, data: unknown, positions: { next: number }): StoredEvent {
  const position = ++positions.next;
  return { id: `${stream}:${revision}`, stream, type, data, metadata: {}, revision, position, recordedAt: '2026-03-02T02:00:00.000Z' };
}

/** Each life's first `split` events, then the rest: the second batch reads and changes rows the first wrote. */
function inTwoBatches(lives: StoredEvent[][], split: number): [StoredEvent[], StoredEvent[]] {
  const byPosition = (a: StoredEvent, b: StoredEvent) => a.position - b.position;
  return [lives.flatMap((life) => life.slice(0, split)).sort(byPosition), lives.flatMap((life) => life.slice(split)).sort(byPosition)];
}

describe('projections on the read store, a batch at a time', () => {
  let readModels: ReadModelDb;
  beforeEach(async () => {
    readModels = await openTestReadModels();
  });
  afterEach(async () => {
    await readModels.destroy();
  });

  /** The statements the second batch runs, over `loans` loans (every fifth stops paying) and as many borrowers. */
  async function statementsOfSecondBatch(projection: Projection, loans: number, first: number): Promise<{ statements: number; events: number; rows: number }> {
    const positions = { next: 0 };
    const lives = [...loanLives(first, loans, positions), ...Array.from({ length: loans }, (_, index) => collectionLife(`B${first + index}`, positions))];
    const [before, after] = inTwoBatches(lives, 3);
    const counter = new StatementCounter();
    const counted = readModels.withPlugin(counter);
    await readModels.transaction().execute(async (trx) => {
      for (const table of projection.tables) await trx.schema.dropTable(table).ifExists().execute();
      await projection.createTables(trx);
      await applyBatchToDatabase(projection, before, trx);
    });
    await counted.transaction().execute((trx) => applyBatchToDatabase(projection, after, trx));
    let rows = 0;
    for (const table of projection.tables) rows += Number((await readModels.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { statements: counter.count, events: after.length, rows };
  }

  it.each(allProjections().map((projection) => [projection.name, projection] as const))(
    '%s: a batch runs a select, a delete and an upsert per kind of change per row family, as many however many events and rows it holds',
    async (_name, projection) => {
      const small = await statementsOfSecondBatch(projection, 5, 0);
      const large = await statementsOfSecondBatch(projection, 50, 1_000);
      // The batches are real work: many events, and rows for every family to read and write.
      expect(large.events).toBeGreaterThan(10 * projection.families.length);
      expect(large.rows).toBeGreaterThan(small.rows);
      expect(large.statements).toBeLessThanOrEqual(3 * projection.families.length);
      expect(small.statements).toBeGreaterThan(0);
      expect(large.statements).toBe(small.statements);
    },
  );
});
