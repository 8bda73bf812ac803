import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { bearer } from '../support/api-keys.js';
import { EngineProcess } from '../support/engine-process.js';
import { waitFor } from '../support/wait-for.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];
if (!POSTGRES_URL) console.log('several-engines test SKIPPED: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it');
const describeWithPostgres = POSTGRES_URL ? describe : describe.skip;

const CLI = resolve('dist/src/cli.js');
const ENGINES = 3;
const LOANS = 50;
const PAYMENTS = 3_000;
/** Requests in flight at once, over all engines: enough that loans are written by several engines at the same moment. */
const IN_FLIGHT = 48;
/** The first engine is SIGKILLed once this many payments are acknowledged. */
const KILL_AFTER = 1_000;
const RECEIVED_ON = '2026-02-01';

const loanId = (n: number) => `L-SE-${String(n).padStart(2, '0')}`;
const paymentId = (k: number) => `P-SE-${String(k).padStart(4, '0')}`;
/** 10.00 to 59.99: 60 payments a loan stay well under its 12,000.00, so none pays it off. */
const amountOf = (k: number) => `${10 + (k % 50)}.${String((k * 37) % 100).padStart(2, '0')}`;
/** A fixed shuffle (LCG), so that each burst of requests falls on loans at random and runs the same every time. */
const shuffled = <T>(items: T[]): T[] => {
  let seed = 24;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
};

interface Answer {
  readonly paymentId: string;
  readonly status: number;
  readonly body: { paymentId?: string; code?: string };
}

/**
 * Issue 24: three engine processes (`node dist/src/main.js`, as production runs them) on one
 * PostgreSQL database, events in one schema and read models in another, taking 3,000
 * payments over 50 loans they all write, sent concurrently and spread over the three. The
 * first engine (which took the projection leases) is SIGKILLed midway: the requests it had
 * in flight fail and are sent again to another engine with the same idempotency key, as a
 * real client would. Then every acknowledged payment is in the log exactly once, none was
 * refused because engines raced for a loan (a race is retried on the store's state; only
 * attempts running out would answer 503 STREAM.BUSY, which a client sends again after
 * `retry-after`: counted, and sent again), and every projection, taken over by the
 * survivors, equals a rebuild from the log (`arrears verify`). Last, close of business is
 * refused (409 COB.IN_PROGRESS, naming the holder) while another holds its lock, and runs
 * once it is free.
 */
describeWithPostgres('several engine processes on one PostgreSQL store', () => {
  let folder: string;
  let client: pg.Client;
  const eventsSchema = `arrears_test_${randomUUID().replaceAll('-', '')}`;
  const readSchema = `arrears_test_${randomUUID().replaceAll('-', '')}`;
  const engines: { engine: EngineProcess; url: string; killed: boolean }[] = [];

  const env = () => ({
    EVENT_STORE: 'postgres',
    EVENT_STORE_URL: POSTGRES_URL!,
    EVENT_STORE_SCHEMA: eventsSchema,
    READ_STORE: 'postgres',
    READ_STORE_URL: POSTGRES_URL!,
    READ_STORE_SCHEMA: readSchema,
    SQLITE_EVENTS_PATH: join(folder, 'unused-events.sqlite'),
    SQLITE_READ_MODELS_PATH: join(folder, 'unused-read-models.sqlite'),
    API_KEYS_FILE: join(folder, 'api-keys.json'),
    PROJECTION_LEASE_RETRY_MS: '200',
    RATE_LIMIT_PER_MINUTE: '1000000',
  });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-several-engines-'));
    client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
  });
  afterAll(async () => {
    for (const { engine } of engines.splice(0)) await engine.stop('SIGKILL');
    await client.query(`DROP SCHEMA IF EXISTS "${eventsSchema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
    await client.end();
    rmSync(folder, { recursive: true, force: true });
  });

  it('takes 3,000 concurrent payments over 50 shared loans on three engines, one SIGKILLed midway: each acknowledged payment once, none refused for a race, projections equal to a rebuild', async () => {
    // The first engine creates the schemas and takes the projection leases; the others start together.
    const startOne = async () => {
      const { engine, url } = await EngineProcess.start(env(), folder);
      return { engine, url, killed: false };
    };
    engines.push(await startOne());
    engines.push(...(await Promise.all(Array.from({ length: ENGINES - 1 }, startOne))));

    const post = (url: string, path: string, body: unknown, idempotencyKey?: string) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { ...bearer('servicer'), 'content-type': 'application/json', ...(idempotencyKey && { 'idempotency-key': idempotencyKey }) },
        body: JSON.stringify(body),
      });

    // 50 loans, each originated on one engine and disbursed on another.
    await Promise.all(
      Array.from({ length: LOANS }, async (_, n) => {
        expect((await post(engines[n % ENGINES]!.url, '/loans', originationRequest(loanId(n), `B-SE-${n}`))).status).toBe(201);
        expect((await post(engines[(n + 1) % ENGINES]!.url, `/loans/${loanId(n)}/disbursements`, disbursementRequest)).status).toBe(201);
      }),
    );

    const payments = shuffled(Array.from({ length: PAYMENTS }, (_, k) => ({ loan: loanId(k % LOANS), request: paymentRequest(paymentId(k), amountOf(k), RECEIVED_ON) })));
    const tally = { acknowledged: 0, busy: 0, connectionFailures: 0, refusedForARace: 0 };
    let killing: Promise<unknown> | undefined;

    /** One payment as a client sends it: to engine `k` of those alive; on a failed connection or a 503, again with the same key. */
    const pay = async ({ loan, request }: (typeof payments)[number], k: number): Promise<Answer> => {
      for (let tries = 1; ; tries++) {
        const alive = engines.filter((e) => !e.killed);
        const target = alive[(k + tries - 1) % alive.length]!;
        let response: Response;
        try {
          response = await post(target.url, `/loans/${loan}/payments`, request, `pay-${request.paymentId}`);
        } catch (error) {
          // The engine died under the request: whether it recorded the payment is unknown, so the same request goes to another.
          tally.connectionFailures++;
          if (!target.killed || tries > 10) throw error;
          continue;
        }
        const body = (await response.json()) as Answer['body'];
        if (response.status === 503 && body.code === 'STREAM.BUSY' && tries <= 10) {
          tally.busy++;
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          await new Promise((done) => setTimeout(done, 200));
          continue;
        }
        if (response.status === 409 && (body.code === 'STREAM.WRONG_EXPECTED_REVISION' || body.code === 'STREAM.BUSY')) tally.refusedForARace++;
        if (response.status === 201 && ++tally.acknowledged === KILL_AFTER) {
          engines[0]!.killed = true;
          killing = engines[0]!.engine.stop('SIGKILL');
        }
        return { paymentId: request.paymentId, status: response.status, body };
      }
    };

    const started = Date.now();
    const answers: Answer[] = [];
    let nextPayment = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let k = nextPayment++; k < payments.length; k = nextPayment++) answers.push(await pay(payments[k]!, k));
      }),
    );
    expect(await killing).toEqual({ code: null, signal: 'SIGKILL' });
    console.log(`several engines: ${PAYMENTS} payments in ${Date.now() - started} ms; ${JSON.stringify(tally)}`);

    // Every payment acknowledged, none refused because engines raced for its loan.
    expect(answers.filter((a) => a.status !== 201).map((a) => `${a.paymentId}: ${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    expect(tally.refusedForARace).toBe(0);
    expect(answers.every((a) => a.body.paymentId === a.paymentId)).toBe(true);
    expect(tally.acknowledged).toBe(PAYMENTS);

    // The log: each payment exactly once, on its loan, each stream's revisions 0..n without gaps.
    const { rows: received } = await client.query<{ stream: string; payment_id: string; amount: string }>(
      `SELECT s.name AS stream, e.data->>'paymentId' AS payment_id, e.data->>'amount' AS amount
       FROM "${eventsSchema}".events e JOIN "${eventsSchema}".streams s ON s.stream_number = e.stream_number WHERE e.type = 'PaymentReceived'`,
    );
    expect(received).toHaveLength(PAYMENTS);
    const byPayment = new Map(received.map((row) => [row.payment_id, row]));
    expect(byPayment.size).toBe(PAYMENTS);
    for (const { loan, request } of payments) expect(byPayment.get(request.paymentId)?.stream).toBe(`loan-${loan}`);
    const { rows: streams } = await client.query<{ name: string; events: string; last: number; revisions: number }>(
      `SELECT s.name, count(*) AS events, s.last_revision AS last, count(DISTINCT e.revision)::int AS revisions
       FROM "${eventsSchema}".streams s JOIN "${eventsSchema}".events e ON e.stream_number = s.stream_number GROUP BY s.name, s.last_revision`,
    );
    for (const stream of streams) expect({ stream: stream.name, events: Number(stream.events), revisions: stream.revisions }).toEqual({ stream: stream.name, events: stream.last + 1, revisions: stream.last + 1 });

    // The survivors took over the projections the killed engine ran, and caught up with the log.
    const { rows: heads } = await client.query<{ head: string }>(`SELECT max(position) AS head FROM "${eventsSchema}".events`);
    const head = Number(heads[0]!.head);
    const survivors = engines.filter((e) => !e.killed);
    const projections = async () => {
      const reports = await Promise.all(
        survivors.map(async (e) => (await (await fetch(`${e.url}/projections`, { headers: bearer('viewer') })).json()) as { name: string; checkpoint: number; state: string }[]),
      );
      const names = new Set(reports.flat().map((p) => p.name));
      return [...names].map((name) => {
        const running = reports.flat().filter((p) => p.name === name && p.state !== 'standby');
        return { name, running: running.length, checkpoint: Math.max(...running.map((p) => p.checkpoint), -1) };
      });
    };
    await waitFor(async () => (await projections()).every((p) => p.running === 1 && p.checkpoint === head), 'the survivors to run every projection up to the head', 60_000);

    // Every projection's rows equal a rebuild from the log up to its checkpoint (`arrears verify`).
    const verify = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
      const child = spawn(process.execPath, [CLI, 'verify'], { env: { ...inherited, ...env(), PROJECTIONS_ENABLED: 'false' }, cwd: folder });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) => done({ code, stdout, stderr }));
    });
    const stderrDiffers = verify.stderr.split('\n').filter((line) => line.startsWith('DIFFERS'));
    expect(stderrDiffers).toEqual([]);
    expect(verify.code).toBe(0);
    const report = JSON.parse(verify.stdout) as { ok: boolean; projections: { projection: string; position: number; rows: number; differences: unknown[] }[] };
    expect(report.ok).toBe(true);
    expect(report.projections.length).toBeGreaterThan(0);
    for (const check of report.projections) expect({ projection: check.projection, position: check.position, differences: check.differences }).toEqual({ projection: check.projection, position: head, differences: [] });

    // Close of business runs on one engine at a time: while another holds its lock (here the
    // test, on a connection named as an engine's is), a caller is refused at once and told who.
    const closeOfBusiness = (url: string) =>
      fetch(`${url}/close-of-business`, { method: 'POST', headers: { ...bearer('admin'), 'content-type': 'application/json' }, body: JSON.stringify({ businessDate: RECEIVED_ON }) });
    const otherEngine = new pg.Client({ connectionString: POSTGRES_URL, application_name: 'arrears other-host pid 1: close of business 2026-02-01' });
    await otherEngine.connect();
    const lock = [`arrears-run-lock:${readSchema}`, 'close-of-business'];
    try {
      expect((await otherEngine.query<{ taken: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS taken', lock)).rows[0]!.taken).toBe(true);
      const refused = await closeOfBusiness(survivors[0]!.url);
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ code: 'COB.IN_PROGRESS', details: { holder: expect.stringContaining('arrears other-host pid 1: close of business 2026-02-01') } });
      await otherEngine.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', lock);
    } finally {
      await otherEngine.end();
    }
    const closed = await closeOfBusiness(survivors[1]!.url);
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ businessDate: RECEIVED_ON, alreadyClosed: false, loansVisited: expect.any(Number) });
  }, 170_000);
});
