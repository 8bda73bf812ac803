import { randomUUID } from 'node:crypto';
import { bearer } from '../support/api-keys.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EngineProcess } from '../support/engine-process.js';
import { seedEventLog } from '../support/seed-event-log.js';
import { waitFor } from '../support/wait-for.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];
if (!POSTGRES_URL) console.log('projection takeover tests SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them');
const describeWithPostgres = POSTGRES_URL ? describe : describe.skip;

/**
 * Several app instances on one PostgreSQL read store: each projection runs in exactly one,
 * and another takes over when it dies. The engines are real processes (`npm test` builds
 * them); they share the events file and the read-model schema.
 */
describeWithPostgres('projection leases across app instances (PostgreSQL)', () => {
  let folder: string;
  let client: pg.Client;
  const schemas: string[] = [];
  const running: EngineProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const started = await EngineProcess.start(env);
    running.push(started.engine);
    return started;
  };
  const newSchema = () => {
    const schema = `arrears_test_${randomUUID().replaceAll('-', '')}`;
    schemas.push(schema);
    return schema;
  };
  const envFor = (schema: string, batchSize = 100) => ({
    SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'),
    READ_STORE: 'postgres',
    READ_STORE_URL: POSTGRES_URL!,
    READ_STORE_SCHEMA: schema,
    // Small batches, many of them: a batch is one upsert per table.
    PROJECTION_BATCH_SIZE: String(batchSize),
    PROJECTION_REBUILD_IN_MEMORY: 'false',
    PROJECTION_LEASE_RETRY_MS: '200',
  });
  const projections = async (url: string) => (await (await fetch(`${url}/projections`, { headers: bearer('viewer') })).json()) as { name: string; checkpoint: number; state: string }[];
  const catalogue = async (schema: string) =>
    (await client.query(`SELECT stream, event_count, first_position, last_position, last_revision FROM "${schema}".stream_catalogue ORDER BY stream`)).rows;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
  });
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-takeover-'));
  });
  afterEach(async () => {
    for (const engine of running.splice(0)) await engine.stop('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });
  afterAll(async () => {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('runs each projection in one instance; when that one is killed, the other finishes it with the rows of a single-runner run', async () => {
    const head = await seedEventLog(join(folder, 'events.sqlite'), 100, 500);

    const reference = newSchema();
    const single = await start(envFor(reference));
    await waitFor(async () => (await projections(single.url))[0]!.checkpoint === head, 'the single-runner run', 60_000);
    await single.engine.stop();

    const shared = newSchema();
    // The instance to be killed goes one event per transaction: however fast batches get, it
    // is still far from the end of the log after the second instance has started (a second
    // or two) and it has applied a thousand events, when it dies.
    const first = await start(envFor(shared, 1));
    await waitFor(async () => (await projections(first.url)).every((p) => p.state !== 'standby'), 'the first instance to take every lease');
    const second = await start(envFor(shared));
    const standing = await projections(second.url);
    expect(standing.map((p) => p.state)).toEqual(Array(standing.length).fill('standby'));

    await waitFor(async () => (await projections(first.url))[0]!.checkpoint >= 1_000, 'a few batches by the first instance', 30_000);
    expect(await first.engine.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const killedAt = (await projections(second.url))[0]!.checkpoint;
    expect(killedAt).toBeLessThan(head);

    const tookOverWithin = Date.now();
    await waitFor(async () => (await projections(second.url))[0]!.state !== 'standby', 'the second instance to take over', 10_000);
    expect(Date.now() - tookOverWithin).toBeLessThan(5_000);
    await waitFor(async () => (await projections(second.url))[0]!.checkpoint === head, 'the takeover to finish', 60_000);
    expect(await catalogue(shared)).toEqual(await catalogue(reference));
  }, 180_000);
});
