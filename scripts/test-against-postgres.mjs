// The projections' tests again, with the read models in PostgreSQL (the production read
// store): each test's app gets a fresh schema of TEST_POSTGRES_URL's database, dropped at
// the end. Without TEST_POSTGRES_URL the pass is skipped, saying so.
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const SUITES = [
  'test/projections',
  'test/e2e/overdue-status.e2e.spec.ts',
  'test/e2e/collection-queue.e2e.spec.ts',
  'test/e2e/close-of-business.e2e.spec.ts',
  'test/e2e/hardship.e2e.spec.ts',
  'test/e2e/loans.e2e.spec.ts',
  'test/e2e/collections.e2e.spec.ts',
  'test/e2e/http-app.e2e.spec.ts',
  'test/e2e/reports.e2e.spec.ts',
];
const url = process.env.TEST_POSTGRES_URL;
if (!url) {
  console.log('PostgreSQL pass SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run the projection tests on PostgreSQL');
  process.exit(0);
}

console.log(`PostgreSQL pass: the projection tests with READ_STORE=postgres on ${url}`);
const jest = spawnSync('npx', ['jest', ...SUITES], {
  stdio: 'inherit',
  env: { ...process.env, TEST_READ_STORE: 'postgres', NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning' },
});

const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const { rows } = await client.query("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'arrears\\_test\\_%'");
  for (const { schema_name: schema } of rows) await client.query(`DROP SCHEMA "${schema}" CASCADE`);
} finally {
  await client.end();
}
process.exit(jest.status ?? 1);
