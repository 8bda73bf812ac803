import type { CompiledQuery } from 'kysely';
import { compiledRead } from '../../../src/infrastructure/projections/contract/compiled-read.js';
import type { ReadModelDb } from '../../../src/infrastructure/projections/contract/projection.js';
import { openTestReadModels } from '../../support/test-config.js';

/**
 * A query compiled once and run on every request (compiledRead): on the embedded store it
 * runs at once as a prepared statement, which must answer as Kysely would and must never
 * see another query's transaction before it commits. Run on the read store under test
 * (SQLite, or PostgreSQL in the PostgreSQL pass).
 */
describe('a read compiled once', () => {
  let readModels: ReadModelDb;
  let byName: (parameters?: readonly unknown[]) => Promise<Array<{ name: string; amount: number | string }>>;
  let compiled: CompiledQuery<{ name: string; amount: number | string }>;

  beforeEach(async () => {
    readModels = await openTestReadModels();
    await readModels.schema.dropTable('compiled_read_rows').ifExists().execute();
    await readModels.schema
      .createTable('compiled_read_rows')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .execute();
    await readModels
      .insertInto('compiled_read_rows')
      .values([
        { name: 'a', amount: 100 },
        { name: 'b', amount: 250 },
      ])
      .execute();
    compiled = readModels.selectFrom('compiled_read_rows').select(['name', 'amount']).where('name', '=', 'a').compile() as typeof compiled;
    byName = compiledRead(readModels, compiled);
  });
  afterEach(async () => {
    await readModels.destroy();
  });

  it("answers with the query's own parameters, or with others given in their place", async () => {
    expect(await byName()).toEqual(await readModels.selectFrom('compiled_read_rows').select(['name', 'amount']).where('name', '=', 'a').execute());
    const [row] = await byName(['b']);
    expect(row?.name).toBe('b');
    expect(Number(row?.amount)).toBe(250);
    expect(await byName(['nobody'])).toEqual([]);
  });

  it('sees a change once it is committed', async () => {
    await readModels.updateTable('compiled_read_rows').set({ amount: 175 }).where('name', '=', 'a').execute();
    expect(Number((await byName())[0]?.amount)).toBe(175);
  });

  it('fails as a rejected promise, as a query through Kysely does', async () => {
    await readModels.schema.dropTable('compiled_read_rows').execute();
    const pending = byName();
    expect(pending).toBeInstanceOf(Promise);
    // Matched by message: the driver's error class may come from outside the test's realm.
    await expect(pending).rejects.toMatchObject({ message: expect.stringMatching(/compiled_read_rows/) });
  });

  it('never sees a transaction that is still open, nor one rolled back', async () => {
    let readDuringTransaction: Promise<unknown[]> | undefined;
    await expect(
      readModels.transaction().execute(async (trx) => {
        await trx.updateTable('compiled_read_rows').set({ amount: 999 }).where('name', '=', 'a').execute();
        readDuringTransaction = byName();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const [row] = (await readDuringTransaction!) as Array<{ amount: number | string }>;
    expect(Number(row?.amount)).toBe(100);
  });
});
