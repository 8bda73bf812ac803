import { sql } from 'kysely';
import type { Projection, ReadModelDb, ReadModelTransaction } from '../../../src/infrastructure/projections/contract/projection.js';
import type { RowFamily } from '../../../src/infrastructure/projections/contract/row-family.js';
import { applyBatchToDatabase } from '../../../src/infrastructure/projections/runner/apply-row-families.js';
import type { StoredEvent } from '../../../src/kernel/event-store/event-store.port.js';
import { openTestReadModels } from '../../support/test-config.js';
import { emptyWal, pagesInWal, readModelFileForEachTest } from '../../support/read-model-file.js';

/**
 * Issue 23: a batch that changes a column of a row sets that column only. SQLite rewrites an
 * index entry for every column an update sets, to the same value or not, so setting every
 * column wrote a random index page beside each row changed (overdue_status_by_dpd for every
 * penalty accrual of close of business).
 */
interface Account {
  readonly id: string;
  readonly band: string;
  readonly balance: number;
}

const ACCOUNTS = 'accounts';

const accounts: RowFamily<Account> = {
  table: ACCOUNTS,
  keyColumn: 'id',
  keyOf: (event) => event.stream,
  next: (row, event) => {
    const { band, amount } = event.data as { band?: string; amount: number };
    return { id: event.stream, band: band ?? row?.band ?? 'none', balance: (row?.balance ?? 0) + amount };
  },
  toColumns: (row) => ({ ...row }),
  fromColumns: (columns) => ({ id: String(columns['id']), band: String(columns['band']), balance: Number(columns['balance']) }),
};

const ledger: Projection = {
  name: 'ledger',
  version: 1,
  handles: 'all',
  tables: [ACCOUNTS],
  families: [accounts],
  async createTables(db: ReadModelTransaction) {
    await db.schema
      .createTable(ACCOUNTS)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('band', 'text', (c) => c.notNull())
      .addColumn('balance', 'integer', (c) => c.notNull())
      .execute();
    // Ordered by band first: an account's entry lies far from its neighbours by id.
    await db.schema.createIndex('accounts_by_band').on(ACCOUNTS).columns(['band', 'id']).execute();
  },
};

let position = 0;
const posted = (id: string, data: { band?: string; amount: number }): StoredEvent => ({
  id: `${id}:${++position}`,
  stream: id,
  type: 'Posted',
  data,
  metadata: {},
  revision: 0,
  position,
  recordedAt: '2026-03-02T02:00:00.000Z',
});

const ids = Array.from({ length: 20_000 }, (_, index) => `A${String(index).padStart(6, '0')}`);
/** 997 bands, each account's its id's number times a prime, so an id's neighbours are in other bands. */
const bandOf = (index: number) => `band-${String((index * 7_919) % 997).padStart(3, '0')}`;

async function openAccounts(db: ReadModelDb): Promise<void> {
  await db.transaction().execute((trx) => ledger.createTables(trx));
  for (let start = 0; start < ids.length; start += 1_000) {
    const batch = ids.slice(start, start + 1_000).map((id, offset) => posted(id, { band: bandOf(start + offset), amount: 100 }));
    await db.transaction().execute((trx) => applyBatchToDatabase(ledger, batch, trx));
  }
}

describe('a batch sets only the columns it changed', () => {
  const file = readModelFileForEachTest();

  /**
   * 200 accounts next to each other by id get a posting that leaves their band as it was:
   * their rows share a page or two, and no entry of accounts_by_band moves (1 page written
   * here). Setting the band too wrote 32, every page of that index.
   */
  it('writes the pages of the rows it changed, not those of an index over columns that did not change', async () => {
    const db = file.db();
    await openAccounts(db);
    const indexPages = (await sql<{ pages: number }>`SELECT count(*) AS pages FROM dbstat WHERE name = 'accounts_by_band'`.execute(db)).rows[0]!.pages;
    await emptyWal(db);

    const neighbours = ids.slice(5_000, 5_200);
    await db.transaction().execute((trx) => applyBatchToDatabase(ledger, neighbours.map((id) => posted(id, { amount: -30 })), trx));

    const written = await pagesInWal(db);
    expect(indexPages).toBeGreaterThan(30);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(8);
    const rows = await db.selectFrom(ACCOUNTS).selectAll().where('id', 'in', neighbours).orderBy('id').execute();
    expect(rows.map((row) => [row.band, Number(row.balance)])).toEqual(neighbours.map((_, offset) => [bandOf(5_000 + offset), 70]));
  });
});

/** On the read store under test (PostgreSQL in its pass): rows with different changes in one batch each get theirs. */
describe('a batch whose rows changed different columns', () => {
  let readModels: ReadModelDb;
  beforeEach(async () => {
    readModels = await openTestReadModels();
  });
  afterEach(async () => {
    await readModels.destroy();
  });

  const apply = (events: StoredEvent[]) => readModels.transaction().execute((trx) => applyBatchToDatabase(ledger, events, trx));
  const accountsNow = async () => (await readModels.selectFrom(ACCOUNTS).selectAll().orderBy('id').execute()).map((row) => [row.id, row.band, Number(row.balance)]);

  beforeEach(async () => {
    await readModels.transaction().execute(async (trx) => {
      await trx.schema.dropTable(ACCOUNTS).ifExists().execute();
      await ledger.createTables(trx);
    });
    // Seven rows: no later batch here writes as many, so none reuses this one's statement.
    await apply(['A1', 'A2', 'A3', 'A4', 'A5', 'A8', 'A9'].map((id) => posted(id, { band: 'gold', amount: 10 })));
  });

  /**
   * The narrowest change comes first and each kind of change has rows of its own: were rows
   * grouped without the columns each sets, a later row would be written with the first one's
   * narrower set and lose its change.
   */
  it('writes each row as folded: some with a new balance, some with a new band, some with both, some new', async () => {
    await apply([
      posted('A2', { amount: 5 }),
      posted('A3', { band: 'silver', amount: 0 }),
      posted('A1', { band: 'tin', amount: 1 }),
      posted('A4', { band: 'gold', amount: 0 }),
      posted('A6', { band: 'lead', amount: 1 }),
      posted('A5', { band: 'silver', amount: 0 }),
      posted('A5', { amount: 2 }),
    ]);
    expect(await accountsNow()).toEqual([
      ['A1', 'tin', 11],
      ['A2', 'gold', 15],
      ['A3', 'silver', 10],
      ['A4', 'gold', 10],
      ['A5', 'silver', 12],
      ['A6', 'lead', 1],
      ['A8', 'gold', 10],
      ['A9', 'gold', 10],
    ]);
  });

  /** Were a statement's text kept by its columns and row count alone, the second would set the first's balance, not its band. */
  it('writes a change of band after a batch of the same size that changed a balance', async () => {
    await apply([posted('A8', { amount: 3 })]);
    await apply([posted('A9', { band: 'tin', amount: 0 })]);
    expect((await accountsNow()).slice(-2)).toEqual([
      ['A8', 'gold', 13],
      ['A9', 'tin', 10],
    ]);
  });
});
