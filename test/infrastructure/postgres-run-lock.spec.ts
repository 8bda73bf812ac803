import { randomUUID } from 'node:crypto';
import { PostgresRunLock } from '../../src/infrastructure/postgres/postgres-run-lock.js';
import { ONE_PROCESS_RUN_LOCK } from '../../src/infrastructure/run-lock.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];
if (!POSTGRES_URL) console.log('PostgreSQL run lock tests SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them');
const itWithPostgres = POSTGRES_URL ? it : it.skip;

/** Close of business on one engine at a time (issue 24): the lock the engines sharing a store take around a run. */
describe('the run lock', () => {
  const schema = `arrears_test_${randomUUID().replaceAll('-', '')}`;

  itWithPostgres('runs the work of one holder at a time; a second is refused at once and told who holds it; free again once the work ends, even when it failed', async () => {
    const first = new PostgresRunLock(POSTGRES_URL!, schema);
    const second = new PostgresRunLock(POSTGRES_URL!, schema);
    let release!: () => void;
    const holding = first.whileHolding('close-of-business', 'close of business 2026-03-31', () => new Promise<string>((done) => (release = () => done('closed'))));
    await new Promise((resolve) => setTimeout(resolve, 200));

    const refused = await second.whileHolding('close-of-business', 'close of business 2026-03-31', async () => 'ran twice');
    expect(refused).toMatchObject({ ran: false, heldBy: expect.stringMatching(new RegExp(`^arrears .+ pid ${process.pid}: close of business 2026-03-31 \\(since .+\\)$`)) });
    // Another lock name, or another deployment's schema, is not held.
    expect(await second.whileHolding('something-else', 'x', async () => 'other work')).toEqual({ ran: true, result: 'other work' });
    expect(await new PostgresRunLock(POSTGRES_URL!, `${schema}_other`).whileHolding('close-of-business', 'x', async () => 'other schema')).toEqual({ ran: true, result: 'other schema' });

    release();
    expect(await holding).toEqual({ ran: true, result: 'closed' });
    await expect(second.whileHolding('close-of-business', 'y', async () => Promise.reject(new Error('the run failed')))).rejects.toThrow('the run failed');
    expect(await first.whileHolding('close-of-business', 'z', async () => 'after a failure')).toEqual({ ran: true, result: 'after a failure' });
  });

  it('always runs on a store one process has to itself (SQLite)', async () => {
    expect(await ONE_PROCESS_RUN_LOCK.whileHolding('close-of-business', 'x', async () => 42)).toEqual({ ran: true, result: 42 });
  });
});
