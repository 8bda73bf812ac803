import Database from 'better-sqlite3';
import { bearer } from '../support/api-keys.js';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { originationRequest } from '../fixtures/loan-requests.js';
import { EngineProcess } from '../support/engine-process.js';
import { seedEventLog } from '../support/seed-event-log.js';
import { waitFor } from '../support/wait-for.js';
import { PROJECTION_THREAD_NAME } from '../../src/infrastructure/projections/worker/projection-thread.js';
import { WAL_CHECKPOINT_THREAD_NAME } from '../../src/infrastructure/sqlite/wal-checkpoint-thread.js';

/**
 * These tests run the built engine (`npm test` builds it first) as a separate process.
 * The logs are large and the batches big (each takes a good part of a second to apply), so
 * a signal sent right after a commit is observed lands while the next batch is in flight.
 * The crash tests take the batch path (no rebuild in memory), where crashes can land mid-way.
 */
const BATCH = 5_000;
const STREAMS = 100;
const EVENTS_PER_STREAM = 500;

const SLOW_TEST_TIMEOUT_MS = 120_000;

describe('the engine as a process', () => {
  let folder: string;
  const running: EngineProcess[] = [];
  const start = async (env: Record<string, string>, cwd?: string) => {
    const started = await EngineProcess.start(env, cwd);
    running.push(started.engine);
    return started;
  };
  const storeEnv = () => ({
    SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'),
    SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite'),
  });
  const catalogue = (path = join(folder, 'read-models.sqlite')) => {
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM stream_catalogue ORDER BY stream').all() as { event_count: number }[];
      const { position } = db.prepare("SELECT position FROM projection_checkpoints WHERE name = 'stream-catalogue'").get() as { position: number };
      return { rows, checkpoint: position, applied: rows.reduce((sum, row) => sum + row.event_count, 0) };
    } finally {
      db.close();
    }
  };
  const originate = (url: string, loanId: string, borrowerId: string) =>
    fetch(`${url}/loans`, {
      method: 'POST',
      headers: { ...bearer('servicer'), 'content-type': 'application/json' },
      body: JSON.stringify(originationRequest(loanId, borrowerId)),
    });
  const projections = async (url: string) => (await (await fetch(`${url}/projections`, { headers: bearer('viewer') })).json()) as { checkpoint: number; state: string; lag: number }[];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-engine-'));
  });
  afterEach(async () => {
    for (const engine of running.splice(0)) await engine.stop('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  it('starts on a fresh folder with nothing configured and serves /health, /projections and /docs', async () => {
    const { url } = await start({}, folder);
    expect(existsSync(join(folder, 'data', 'events.sqlite'))).toBe(true);
    expect(existsSync(join(folder, 'data', 'read-models.sqlite'))).toBe(true);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok', headPosition: 0, failedProjections: [] });
    expect((await projections(url)).map((p) => p.state)).toEqual(['live', 'live', 'live', 'live', 'live']);
    const docs = await fetch(`${url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('says at start-up, at info, where to go and when close of business runs; the routes Nest maps only at debug', async () => {
    const { engine, url } = await start({ ...storeEnv(), COB_DAILY_AT: '23:30', COB_TIME_ZONE: 'Europe/Berlin' });
    expect(await engine.waitForLog('Arrears is listening')).toMatchObject({ dashboard: `${url}/`, docs: `${url}/docs`, health: `${url}/health` });
    const schedule = engine.logs.find((line) => String(line.msg).startsWith('Daily close of business'));
    expect(schedule?.msg).toMatch(/^Daily close of business is scheduled at 23:30 Europe\/Berlin; next for \d{4}-\d{2}-\d{2}$/);
    expect(engine.logs.filter((line) => /Mapped \{|dependencies initialized|RoutesResolver/.test(String(line.msg)))).toEqual([]);
  });

  it("copies the event log's WAL back into its file on a thread of its own, where a few KB of WAL would wait for 40 MB on commit", async () => {
    const eventsFile = join(folder, 'events.sqlite');
    const { url } = await start({ ...storeEnv(), SQLITE_CHECKPOINTS: 'thread' });
    const before = statSync(eventsFile).size;
    for (const n of [1, 2, 3]) expect((await originate(url, `L-C${n}`, `B-C${n}`)).status).toBe(201);
    // A few KB of WAL: only the thread copies that much back.
    await waitFor(() => statSync(eventsFile).size > before, 'the events in the file itself');
  });

  (process.platform === 'linux' ? it : it.skip)('runs its projection and checkpoint threads at a lower priority than the request thread (Linux)', async () => {
    const { engine, url } = await start({ ...storeEnv(), SQLITE_CHECKPOINTS: 'thread', PROJECTIONS_THREAD: 'worker' });
    // The checkpoint thread starts with the first commit.
    expect((await originate(url, 'L-N1', 'B-N1')).status).toBe(201);
    const pid = engine.child.pid!;
    const threads = () =>
      readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
          // The fields after the name in parentheses, from the 3rd: niceness is the 19th.
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return [{ tid: Number(tid), name: readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(), niceness: Number(fields[16]) }];
        } catch {
          // A thread that ended between the listing and the read (a read-ahead thread whose read was done).
          return [];
        }
      });
    // The projection worker and the WAL checkpoint thread, by the names the engine gives them.
    const workerNiceness = () =>
      [PROJECTION_THREAD_NAME, WAL_CHECKPOINT_THREAD_NAME].flatMap((name) => threads().filter((t) => t.name === name).map((t) => t.niceness));
    const requestThread = threads().find((t) => t.tid === pid)!.niceness;
    await waitFor(() => workerNiceness().length === 2 && workerNiceness().every((n) => n !== requestThread), 'both worker threads to have lowered their priority');
    // Ten steps nicer than the request thread (the process's own niceness, 0 unless started under nice), at most 19.
    expect(workerNiceness()).toEqual([Math.min(19, requestThread + 10), Math.min(19, requestThread + 10)]);
  });

  it('refuses to start on an invalid setting, naming it', async () => {
    const engine = EngineProcess.spawn({ ...storeEnv(), PORT: 'eighty', SQLITE_SYNCHRONOUS: 'sometimes' });
    expect(await engine.exited).toEqual({ code: 78, signal: null });
    expect(engine.stderr).toContain('PORT="eighty"');
    expect(engine.stderr).toContain('SQLITE_SYNCHRONOUS="sometimes"');
    expect(existsSync(join(folder, 'events.sqlite'))).toBe(false);
  });

  it('on SIGTERM lets the projection batch in flight commit, then exits 0; a restart carries on', async () => {
    const head = await seedEventLog(join(folder, 'events.sqlite'), STREAMS, EVENTS_PER_STREAM);
    const { engine, url } = await start({ ...storeEnv(), PROJECTION_BATCH_SIZE: String(BATCH), PROJECTION_REBUILD_IN_MEMORY: 'false' });
    await waitFor(async () => (await projections(url))[0]!.checkpoint > 0, 'the first batch');

    expect(await engine.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(engine.logs.map((l) => l.msg)).toContain('shutdown complete');
    const stopped = catalogue();
    expect(stopped.applied).toBe(stopped.checkpoint);
    expect(stopped.checkpoint).toBeLessThan(head);

    const restarted = await start({ ...storeEnv(), PROJECTION_BATCH_SIZE: String(BATCH), PROJECTION_REBUILD_IN_MEMORY: 'false' });
    await waitFor(async () => (await projections(restarted.url))[0]!.checkpoint === head, 'catch-up after restart', 30_000);
    expect(catalogue().applied).toBe(head);
  }, SLOW_TEST_TIMEOUT_MS);

  it('a projection process killed mid-batch (SIGKILL) and restarted ends with exactly the rows of an uninterrupted run', async () => {
    const head = await seedEventLog(join(folder, 'events.sqlite'), STREAMS, EVENTS_PER_STREAM);

    // The uninterrupted run, into a read-model file of its own.
    const reference = join(folder, 'reference-read-models.sqlite');
    const uninterrupted = await start({ ...storeEnv(), SQLITE_READ_MODELS_PATH: reference });
    await waitFor(async () => (await projections(uninterrupted.url))[0]!.checkpoint === head, 'the reference run', 30_000);
    await uninterrupted.engine.stop();

    // Killed right after its first and then its third committed batch: the next batch is in flight.
    for (const committedBatches of [1, 3]) {
      const { engine, url } = await start({ ...storeEnv(), PROJECTION_BATCH_SIZE: String(BATCH), PROJECTION_REBUILD_IN_MEMORY: 'false' });
      const killAt = catalogue().checkpoint + committedBatches * BATCH;
      await waitFor(async () => (await projections(url))[0]!.checkpoint >= killAt, `batch ${committedBatches}`, 30_000);
      expect(await engine.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      const afterKill = catalogue();
      expect(afterKill.applied).toBe(afterKill.checkpoint);
      expect(afterKill.checkpoint).toBeLessThan(head);
    }

    const { url } = await start({ ...storeEnv(), PROJECTION_BATCH_SIZE: String(BATCH), PROJECTION_REBUILD_IN_MEMORY: 'false' });
    await waitFor(async () => (await projections(url))[0]!.checkpoint === head, 'catch-up after the crashes', 30_000);
    expect(catalogue().rows).toEqual(catalogue(reference).rows);
    expect(catalogue().applied).toBe(head);
  }, SLOW_TEST_TIMEOUT_MS);
});
