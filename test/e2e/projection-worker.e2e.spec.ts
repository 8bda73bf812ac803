import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { bearer } from '../support/api-keys.js';
import { EngineProcess } from '../support/engine-process.js';
import { waitFor } from '../support/wait-for.js';

/**
 * PROJECTIONS_THREAD: the built engine runs its projections on a worker thread of their own
 * (the default) or on the request thread, with the same results either way. Each thread's
 * log records carry `thread: projections` when written by the worker.
 */
describe('where the engine runs its projections', () => {
  let folder: string;
  const running: EngineProcess[] = [];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-projection-thread-'));
  });
  afterEach(async () => {
    for (const engine of running.splice(0)) await engine.stop('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  const post = (url: string, path: string, body: unknown, role: 'servicer' | 'admin' = 'servicer') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { ...bearer(role), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = async (url: string, path: string) => {
    const response = await fetch(`${url}${path}`, { headers: bearer('viewer') });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return (await response.json()) as any;
  };

  /** Two loans paid into, then closed for a business day: what the projections must show. */
  async function serviceTwoLoans(url: string) {
    for (const n of [1, 2]) {
      expect((await post(url, '/loans', originationRequest(`L-W${n}`, `B-W${n}`))).status).toBe(201);
      expect((await post(url, `/loans/L-W${n}/disbursements`, disbursementRequest)).status).toBe(201);
    }
    expect((await post(url, '/loans/L-W1/payments', paymentRequest('P-W1', '25.00', '2026-02-01'))).status).toBe(201);
    // Close of business waits for the work index to be projected: with a worker, as the worker reports it.
    expect((await post(url, '/close-of-business', { businessDate: '2026-02-01' }, 'admin')).status).toBe(200);
    const { headPosition } = (await (await fetch(`${url}/health`)).json()) as { headPosition: number };
    await waitFor(async () => (await get(url, '/projections')).every((p: { checkpoint: number }) => p.checkpoint === headPosition), 'every projection at the head');
    return {
      headPosition,
      projections: (await get(url, '/projections')).map(({ name, state, lag }: { name: string; state: string; lag: number }) => ({ name, state, lag })),
      register: await get(url, '/loans/L-W1/overdue-status'),
    };
  }

  async function engineWith(env: Record<string, string>) {
    const started = await EngineProcess.start({
      SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'),
      SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite'),
      ...env,
    });
    running.push(started.engine);
    return started;
  }

  it('on a worker thread by default: commands answered, every projection live at the head of the log', async () => {
    const { engine, url } = await engineWith({});
    const seen = await serviceTwoLoans(url);

    expect(seen.projections.map((p: { state: string; lag: number }) => [p.state, p.lag])).toEqual(Array(5).fill(['live', 0]));
    expect(seen.register).toMatchObject({ loanId: 'L-W1' });
    const leases = engine.logs.filter((line) => line.msg === 'projection lease taken: running it here');
    expect(leases).toHaveLength(5);
    expect(leases.every((line) => line['thread'] === 'projections')).toBe(true);

    // SIGTERM: the worker lets its batch commit and closes its stores before the process exits 0.
    expect(await engine.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(engine.logs.map((line) => line.msg)).toContain('shutdown complete');
  });

  it('on the request thread with PROJECTIONS_THREAD=main, with the same read models', async () => {
    const inWorker = await serviceTwoLoans((await engineWith({})).url);
    for (const engine of running.splice(0)) await engine.stop('SIGTERM');
    rmSync(folder, { recursive: true, force: true });

    const { engine, url } = await engineWith({ PROJECTIONS_THREAD: 'main' });
    const onMainThread = await serviceTwoLoans(url);

    expect(onMainThread.projections).toEqual(inWorker.projections);
    expect(onMainThread.headPosition).toBe(inWorker.headPosition);
    expect(onMainThread.register).toEqual(inWorker.register);
    const leases = engine.logs.filter((line) => line.msg === 'projection lease taken: running it here');
    expect(leases).toHaveLength(5);
    expect(leases.some((line) => line['thread'] === 'projections')).toBe(false);
  });
});
