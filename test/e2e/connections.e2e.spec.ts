import { existsSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer } from '../support/api-keys.js';
import { rawRequest } from '../support/raw-http.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

/** "At once": generous for a loaded machine. */
const PROMPTLY_MS = 500;

const slowBody = (path: string, authorization?: string) =>
  `POST ${path} HTTP/1.1\nHost: arrears\nContent-Type: application/json\nContent-Length: 100\n${authorization ? `Authorization: ${authorization}\n` : ''}`;

describe('connections: authentication before the body', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await createTestApp(testConfig());
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
