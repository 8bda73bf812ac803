import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disbursementRequest, originationRequest } from '../fixtures/loan-requests.js';
import { bearer } from '../support/api-keys.js';
import { EngineProcess } from '../support/engine-process.js';

const NAME = 'Zhang Xiaoming';
const PHONE = '+8613912345678';
const DOCUMENT_NUMBER = '110101199003074512';
const borrower = { name: NAME, phone: PHONE, identityDocument: { type: 'national-id', number: DOCUMENT_NUMBER } };

/** The engine as production runs it, logging everything it logs, fed a borrower's personal data. */
describe('personal data: kept out of logs, views and the regulator report; the credit history carries what a bureau needs', () => {
  let folder: string;
  let engine: EngineProcess;
  let url: string;
  const call = async (path: string, key: Parameters<typeof bearer>[0], body?: object) => {
    const response = await fetch(`${url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { ...bearer(key), ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.text() };
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-personal-data-'));
    ({ engine, url } = await EngineProcess.start({
      LOG_LEVEL: 'trace',
      SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'),
      SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite'),
    }));
  }, 30_000);
  afterAll(async () => {
    await engine?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('reaches the event log and the bureau record, and nowhere else', async () => {
    expect((await call('/loans', 'servicer', { ...originationRequest('L-1', 'B-1'), borrower })).status).toBe(201);
    expect((await call('/loans/L-1/disbursements', 'servicer', disbursementRequest)).status).toBe(201);
    // Refusals must not echo what they refused.
    const refused = await call('/loans', 'servicer', { ...originationRequest('L-2', 'B-1'), borrower: { ...borrower, phone: `${PHONE}x` } });
    expect(refused.status).toBe(400);
    expect(refused.body).not.toContain(PHONE);
    expect((await call('/loans', 'servicer', { ...originationRequest('L-1', 'B-1'), borrower, principal: '1.00' })).status).toBe(409);
    expect((await call('/close-of-business', 'admin', { businessDate: '2026-02-28' })).status).toBe(200);

    const history = await call('/borrowers/B-1/credit-history?asOf=2026-02', 'auditor');
    expect(history.status).toBe(200);
    expect(JSON.parse(history.body).borrower).toEqual({ name: NAME, identityDocument: { type: 'national-id', number: DOCUMENT_NUMBER } });
    const historyCsv = await call('/borrowers/B-1/credit-history.csv?asOf=2026-02', 'auditor');
    expect(historyCsv.body.split('\r\n')[1]).toContain(`B-1,${NAME},national-id,${DOCUMENT_NUMBER},2026-02,L-1`);
    for (const body of [history.body, historyCsv.body]) expect(body).not.toContain(PHONE);

    const elsewhere = [
      await call('/loans/L-1', 'viewer'),
      await call('/loans?borrowerId=B-1', 'viewer'),
      await call('/loans/L-1/overdue-status', 'viewer'),
      await call('/overdue', 'viewer'),
      await call('/collections/queue', 'viewer'),
      await call('/reports/regulatory?asOf=2026-02-28', 'auditor'),
      await call('/reports/regulatory?asOf=2026-02-28&format=csv', 'auditor'),
    ];
    for (const { status, body } of elsewhere) {
      expect(status).toBe(200);
      for (const personal of [NAME, PHONE, DOCUMENT_NUMBER]) expect(body).not.toContain(personal);
    }
    // The auditor's event log holds the origination as it was recorded.
    expect((await call('/loans/L-1/events', 'auditor')).body).toContain(DOCUMENT_NUMBER);

    await engine.stop();
    const everythingLogged = `${JSON.stringify(engine.logs)}${engine.stderr}`;
    expect(engine.logs.length).toBeGreaterThan(10);
    for (const personal of [NAME, PHONE, DOCUMENT_NUMBER]) expect(everythingLogged).not.toContain(personal);
  }, 60_000);
});
