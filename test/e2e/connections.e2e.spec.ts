import { existsSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer } from '../support/api-keys.js';
import { rawRequest } from '../support/raw-http.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

/** Short here, so that the tests of what it closes take a second each. */
const REQUEST_TIMEOUT_MS = 1_000;
/** Node looks for late requests every tenth of the timeout: one is closed by 1.1 × REQUEST_TIMEOUT_MS, plus a little scheduling. */
const CLOSED_BY_MS = REQUEST_TIMEOUT_MS * 1.1 + 400;
/** "At once": far below the request timeout, generous for a loaded machine. */
const PROMPTLY_MS = 500;

const slowBody = (path: string, authorization?: string) =>
  `POST ${path} HTTP/1.1\nHost: arrears\nContent-Type: application/json\nContent-Length: 100\n${authorization ? `Authorization: ${authorization}\n` : ''}`;

describe('connections: authentication before the body, timeouts for slow requests', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await createTestApp(testConfig({ REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('answers a request without a valid key 401 before its body arrives, and closes the connection', async () => {
    for (const authorization of [undefined, 'Bearer not-a-key-anyone-was-given', 'Basic dXNlcjpwYXNz']) {
      const request = await rawRequest(url, slowBody('/loans/L-1/payments', authorization), { body: '{' });
      const response = await request.response;
      expect({ authorization, status: response.status }).toEqual({ authorization, status: 401 });
      expect(response.afterMs).toBeLessThan(PROMPTLY_MS);
      expect(JSON.parse(response.body)).toEqual({ code: 'AUTH.UNAUTHENTICATED', message: expect.any(String) });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="arrears"');
      expect(response.headers['connection']).toBe('close');
      expect(await request.closed).toEqual({ afterMs: expect.any(Number), byPeer: true });
      expect((await request.closed).afterMs).toBeLessThan(PROMPTLY_MS);
    }
  });

  it('keeps the connection of a refused request without a body', async () => {
    const request = await rawRequest(url, 'GET /overdue/summary HTTP/1.1\nHost: arrears');
    const response = await request.response;
    expect(response.status).toBe(401);
    expect(response.headers['connection']).toBe('keep-alive');
    const closedSoon = await Promise.race([request.closed.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 300))]);
    expect(closedSoon).toBe(false);
    request.destroy();
  });

  it('waits for the body of a request with a valid key, and answers 408 and closes it once REQUEST_TIMEOUT_MS has passed', async () => {
    const request = await rawRequest(url, slowBody('/loans/L-1/payments', bearer('servicer').authorization), { body: '{' });
    const response = await request.response;
    expect(response.status).toBe(408);
    expect(JSON.parse(response.body)).toEqual({ code: 'REQUEST.TIMEOUT', message: expect.stringMatching(`${REQUEST_TIMEOUT_MS} ms`) });
    const { afterMs, byPeer } = await request.closed;
    expect(byPeer).toBe(true);
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(afterMs).toBeLessThan(CLOSED_BY_MS);
  });

  it('closes a connection whose headers never end within REQUEST_TIMEOUT_MS, and one that sends nothing', async () => {
    const trickling = await rawRequest(url, 'GET /health HTTP/1.1\nHost: arrears\nX-Slow: 1', { endHeaders: false });
    const silent = await rawRequest(url, '', { endHeaders: false });
    for (const request of [trickling, silent]) {
      const { afterMs, byPeer } = await request.closed;
      expect(byPeer).toBe(true);
      expect(afterMs).toBeLessThan(CLOSED_BY_MS);
    }
  });

  it('a key without the route’s role still waits for the body: roles are decided from the handler, then 403', async () => {
    const request = await rawRequest(url, slowBody('/loans/L-1/payments', bearer('viewer').authorization), { body: '{' });
    request.write(`"paymentId":"P-1"${' '.repeat(100 - 17 - 2)}}`);
    const response = await request.response;
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'AUTH.FORBIDDEN' });
    request.destroy();
  });

  it('keeps public what was public: /health, /docs, the dashboard page; an unknown route is still 404', async () => {
    const keyless = { authorization: '' };
    expect((await app.inject({ method: 'GET', url: '/health', headers: keyless })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/docs', headers: keyless })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/docs/openapi.json', headers: keyless })).statusCode).toBe(200);
    if (existsSync('dist/web')) expect((await app.inject({ method: 'GET', url: '/', headers: keyless })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/no-such-route', headers: keyless })).statusCode).toBe(404);
  });
});

describe('answers given before the body arrived', () => {
  let app: NestFastifyApplication;
  afterEach(() => app.close());

  it('close the connection: over the rate limit too, a 429 is not kept open for the rest of its body', async () => {
    app = await createTestApp(testConfig({ RATE_LIMIT_PER_MINUTE: '1' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = await app.getUrl();
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const request = await rawRequest(url, slowBody('/loans/L-1/payments'), { body: '{' });
      const response = await request.response;
      statuses.push(response.status);
      expect(response.headers['connection']).toBe('close');
      expect((await request.closed).afterMs).toBeLessThan(PROMPTLY_MS);
    }
    expect(statuses).toEqual([401, 429]);
  });

  it('close the connection: a body announced larger than MAX_BODY_BYTES is refused 413 at once', async () => {
    app = await createTestApp(testConfig());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const oversized = slowBody('/loans/L-1/payments', bearer('servicer').authorization).replace('Content-Length: 100', 'Content-Length: 10000000');
    const request = await rawRequest(await app.getUrl(), oversized, { body: '{' });
    const response = await request.response;
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'REQUEST.TOO_LARGE' });
    expect(response.headers['connection']).toBe('close');
    expect((await request.closed).afterMs).toBeLessThan(PROMPTLY_MS);
  });
});

describe('TRUST_PROXY: the client behind a proxy is the one rate-limited', () => {
  const LIMIT = 5;
  let app: NestFastifyApplication | undefined;
  afterEach(() => app?.close());

  /** Keyless requests, limited per address: the statuses of LIMIT + 1 from client A, then one from client B. */
  const statusesThrough = async (trustProxy: string | undefined) => {
    app = await createTestApp(testConfig({ RATE_LIMIT_PER_MINUTE: String(LIMIT), ...(trustProxy !== undefined && { TRUST_PROXY: trustProxy }) }));
    const from = (client: string) => ({ authorization: '', 'x-forwarded-for': client });
    const a: number[] = [];
    for (let i = 0; i <= LIMIT; i++) a.push((await app.inject({ method: 'GET', url: '/overdue/summary', headers: from('203.0.113.7') })).statusCode);
    const b = (await app.inject({ method: 'GET', url: '/overdue/summary', headers: from('198.51.100.9') })).statusCode;
    return { a, b };
  };

  it.each([['true'], ['1'], ['127.0.0.1'], ['10.0.0.0/8, 127.0.0.0/8']])('with TRUST_PROXY=%s, two clients forwarded from one proxy get a limit each', async (trustProxy) => {
    const { a, b } = await statusesThrough(trustProxy);
    expect(a).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    expect(b).toBe(401);
  });

  it.each([[undefined], ['false'], ['10.0.0.0/8']])('with TRUST_PROXY=%s (the proxy not trusted), they share the proxy’s', async (trustProxy) => {
    const { a, b } = await statusesThrough(trustProxy);
    expect(a).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    expect(b).toBe(429);
  });
});
