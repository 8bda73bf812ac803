import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ROLES, type Role } from '../../src/auth/roles.js';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { TEST_KEYS, bearer, testPrincipalOf } from '../support/api-keys.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

type Method = 'GET' | 'POST';
interface RouteAccess {
  readonly method: Method;
  /** The OpenAPI path, e.g. /loans/{loanId}. */
  readonly path: string;
  readonly url: string;
  readonly roles: readonly Role[];
  /** A stream that stays open: checked here for refusals only (test/e2e/dashboard-api.e2e.spec.ts reads it). */
  readonly stream?: boolean;
}

const READERS: Role[] = ['viewer', 'servicer', 'collector', 'auditor'];
const route = (method: Method, path: string, roles: readonly Role[], url = path.replace('{loanId}', 'L-1').replace('{borrowerId}', 'B-1').replace('{paymentId}', 'P-1')): RouteAccess => ({ method, path, url, roles });

/** Every route of the API and the roles that may use it, by route group. */
const ROUTES: readonly RouteAccess[] = [
  // servicer: loan commands
  route('POST', '/loans', ['servicer']),
  route('POST', '/loans/{loanId}/disbursements', ['servicer']),
  route('POST', '/loans/{loanId}/payments', ['servicer']),
  route('POST', '/loans/{loanId}/payments/{paymentId}/reversals', ['servicer']),
  route('POST', '/loans/{loanId}/restructurings', ['servicer']),
  route('POST', '/loans/{loanId}/penalty-waivers', ['servicer']),
  route('POST', '/loans/{loanId}/refunds', ['servicer']),
  route('POST', '/loans/{loanId}/write-offs', ['servicer']),
  route('POST', '/loans/{loanId}/cancellation', ['servicer']),
  route('POST', '/loans/{loanId}/penalty-waivers/{waiverId}/reversals', ['servicer'], '/loans/L-1/penalty-waivers/W-1/reversals'),
  route('POST', '/loans/{loanId}/write-offs/{writeOffId}/reversals', ['servicer'], '/loans/L-1/write-offs/WO-1/reversals'),
  route('POST', '/loans/{loanId}/restructurings/{restructuringId}/reversals', ['servicer'], '/loans/L-1/restructurings/RS-1/reversals'),
  // collector: contacts, restrictions, permission checks
  route('POST', '/borrowers/{borrowerId}/collection-contacts', ['collector']),
  route('POST', '/borrowers/{borrowerId}/contact-restrictions', ['collector']),
  route('POST', '/borrowers/{borrowerId}/time-zones', ['collector']),
  route('GET', '/borrowers/{borrowerId}/contact-permission', ['collector'], '/borrowers/B-1/contact-permission?loanId=L-1&channel=phone&party=borrower'),
  route('GET', '/borrowers/{borrowerId}/collection-contacts', ['collector', 'auditor']),
  // auditor: history, as-of views, reports
  route('GET', '/loans/{loanId}/events', ['auditor']),
  route('GET', '/borrowers/{borrowerId}/collection-events', ['auditor']),
  route('GET', '/reports/regulatory', ['auditor']),
  route('GET', '/reports/assessment-performance', ['auditor', 'viewer']),
  route('GET', '/borrowers/{borrowerId}/credit-history', ['auditor']),
  route('GET', '/borrowers/{borrowerId}/credit-history.csv', ['auditor']),
  route('GET', '/loans/{loanId}', ['auditor'], '/loans/L-1?asOf=2026-03-01'),
  route('GET', '/loans/{loanId}/payments', READERS),
  route('GET', '/loans/{loanId}/overdue-status', ['auditor'], '/loans/L-1/overdue-status?knownAt=2026-03-01T00:00:00Z'),
  // viewer and every other reader: the present state
  route('GET', '/loans/{loanId}', READERS),
  route('GET', '/loans', READERS, '/loans?borrowerId=B-1'),
  route('GET', '/loans/{loanId}/overdue-status', READERS),
  route('GET', '/overdue', READERS),
  route('GET', '/overdue/summary', READERS),
  route('GET', '/collections/queue', READERS),
  route('GET', '/projections', [...READERS, 'admin']),
  route('GET', '/dashboard/portfolio-history', READERS),
  route('GET', '/dashboard/grades', READERS),
  route('GET', '/dashboard/roll-rates', READERS),
  route('GET', '/dashboard/loans/{loanId}/overdue-history', READERS),
  route('GET', '/dashboard/loans/{loanId}/timeline', READERS),
  { ...route('GET', '/dashboard/live', READERS), stream: true },
  // admin
  route('POST', '/close-of-business', ['admin']),
  route('GET', '/api-keys', ['admin']),
];
const PUBLIC_ROUTES = ['GET /health'];

describe('who may do what: API keys and roles', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  const eventCount = async () => (await store.readAll(0, 1_000_000)).length;
  const send = (access: RouteAccess, headers: Record<string, string>, payload: object = {}) =>
    app.inject({ method: access.method, url: access.url, headers, ...(access.method === 'POST' && { payload }) });

  beforeEach(async () => {
    app = await createTestApp(testConfig());
    store = app.get(EVENT_STORE);
    await app.inject({ method: 'POST', url: '/loans', payload: originationRequest('L-1', 'B-1') });
    await app.inject({ method: 'POST', url: '/loans/L-1/disbursements', payload: disbursementRequest });
  });
  afterEach(() => app.close());

  it('the table covers every route the API documents', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    const tabled = new Set([...ROUTES.map((r) => `${r.method} ${r.path}`), ...PUBLIC_ROUTES]);
    expect([...new Set(documented)].sort()).toEqual([...tabled].sort());
  });

  it('answers 401 without a key, with a malformed header or with an unknown key, on every route, appending nothing', async () => {
    const before = await eventCount();
    for (const access of ROUTES) {
      for (const authorization of ['', 'Basic dXNlcjpwYXNz', 'Bearer not-a-key-anyone-was-given', `Bearer ${TEST_KEYS.servicer} extra`]) {
        const response = await send(access, { authorization }, paymentRequest('P-unauth', '100.00', '2026-02-15'));
        expect({ route: access.url, authorization, status: response.statusCode }).toEqual({ route: access.url, authorization, status: 401 });
        expect(response.json()).toEqual({ code: 'AUTH.UNAUTHENTICATED', message: expect.any(String) });
        expect(response.headers['www-authenticate']).toBe('Bearer realm="arrears"');
      }
    }
    expect(await eventCount()).toBe(before);
  });

  it("answers 403 to a key without the route's role, and lets each of its roles through, on every route", async () => {
    const before = await eventCount();
    for (const access of ROUTES) {
      for (const role of ROLES) {
        if (access.stream && access.roles.includes(role)) continue;
        const response = await send(access, bearer(role));
        if (access.roles.includes(role)) {
          // Past the guard: what the empty body or the fixture's state makes of it, but neither a refusal of the key nor a failure.
          const outcome = [401, 403].includes(response.statusCode) ? 'refused' : response.statusCode >= 500 ? 'failed' : 'answered';
          expect({ route: `${access.method} ${access.url}`, role, outcome }).toEqual({ route: `${access.method} ${access.url}`, role, outcome: 'answered' });
        } else {
          expect({ route: `${access.method} ${access.url}`, role, status: response.statusCode }).toEqual({ route: `${access.method} ${access.url}`, role, status: 403 });
          expect(response.json()).toMatchObject({ code: 'AUTH.FORBIDDEN', details: { principal: testPrincipalOf(role), requiredRoles: [...access.roles] } });
        }
      }
    }
    expect(await eventCount()).toBe(before);
  });

  it('a valid command sent with the wrong role appends nothing; with the right one it records the principal as actor', async () => {
    const before = await eventCount();
    const payment = paymentRequest('P-1', '1100.16', '2026-02-15');
    for (const role of ['viewer', 'collector', 'auditor', 'admin'] as const) {
      expect((await app.inject({ method: 'POST', url: '/loans/L-1/payments', payload: payment, headers: bearer(role) })).statusCode).toBe(403);
    }
    expect(await eventCount()).toBe(before);
    expect((await app.inject({ method: 'POST', url: '/loans/L-1/payments', payload: payment, headers: bearer('servicer') })).statusCode).toBe(201);
    const [received] = (await store.readStream('loan-L-1')).slice(-1);
    expect(received!.metadata).toMatchObject({ actor: testPrincipalOf('servicer') });
    expect(JSON.stringify(await store.readAll(0, 1_000))).not.toContain(TEST_KEYS.servicer);
  });

  it('the health check needs no key', async () => {
    expect((await app.inject({ method: 'GET', url: '/health', headers: { authorization: '' } })).statusCode).toBe(200);
  });

  it('lists the principals that hold keys and their roles to an admin, never a hash or a secret', async () => {
    const response = await app.inject({ method: 'GET', url: '/api-keys', headers: bearer('admin') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toContainEqual({ principal: testPrincipalOf('auditor'), roles: ['auditor'], createdAt: null });
    expect(response.body).not.toMatch(/[0-9a-f]{64}|test-key-/);
  });
});
