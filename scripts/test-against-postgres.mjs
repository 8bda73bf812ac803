// The projections' tests again, with the read models in PostgreSQL (the production read
// store): each test's app gets a fresh schema of TEST_POSTGRES_URL's database, dropped at
// the end. Without TEST_POSTGRES_URL the pass is skipped, saying so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

const SUITES = [
  // Each checked below to exist: a folder or file that moves must not drop its tests from this pass unnoticed.
  'test/infrastructure/projections',
  'test/read-models',
  'test/e2e/overdue-status.e2e.spec.ts',
  'test/e2e/collection-queue.e2e.spec.ts',
  'test/e2e/close-of-business.e2e.spec.ts',
  'test/e2e/hardship.e2e.spec.ts',
  'test/e2e/loans.e2e.spec.ts',
  'test/e2e/collections.e2e.spec.ts',
  'test/e2e/http-app.e2e.spec.ts',
  'test/e2e/reports.e2e.spec.ts',
];
for (const suite of SUITES) {
  if (!existsSync(suite)) {
    console.error(`PostgreSQL pass: ${suite} does not exist (moved?); the pass would silently leave its tests out`);
    process.exit(1);
  }
}
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
