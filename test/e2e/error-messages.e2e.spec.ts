import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../support/test-app.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { testConfig } from '../support/test-config.js';

/** Error messages that name the rule broken (issue 25). */
describe('error messages', () => {
  let app: NestFastifyApplication;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload: payload as object, headers });

  beforeAll(async () => {
    app = await createTestApp(testConfig());
    expect((await post('/loans', originationRequest('L-1'))).statusCode).toBe(201);
    expect((await post('/loans/L-1/disbursements', disbursementRequest)).statusCode).toBe(201);
  });
  afterAll(() => app.close());

  it('a negative amount is told it must be positive, not that it must be a decimal string', async () => {
    for (const amount of ['-5', '-1100.16', -5]) {
      const response = await post('/loans/L-1/payments', { ...paymentRequest('P-NEG', '0', '2026-02-15'), amount });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        code: 'REQUEST.INVALID',
        message: 'Invalid request: amount',
        errors: [{ field: 'amount', messages: ['amount must be positive, a decimal string such as "1234.56"'] }],
      });
    }
    const words = await post('/loans/L-1/payments', paymentRequest('P-TEXT', 'a lot', '2026-02-15'));
    expect(words.json().errors).toEqual([{ field: 'amount', messages: ['amount must be a decimal string such as "1234.56"'] }]);
  });

  it('a missing required field gets one message saying it is required', async () => {
    const { channel: _left, reference: _out, ...partial } = paymentRequest('P-MISSING', '10.00', '2026-02-15');
    const response = await post('/loans/L-1/payments', partial);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      code: 'REQUEST.INVALID',
      message: 'Invalid request: channel, reference',
      errors: [
        { field: 'channel', messages: ['channel is required'] },
        { field: 'reference', messages: ['reference is required'] },
      ],
    });
    const origination = { ...originationRequest('L-2') } as Record<string, unknown>;
    delete origination['principal'];
    expect((await post('/loans', origination)).json().errors).toEqual([{ field: 'principal', messages: ['principal is required'] }]);
  });

  it.each(['text/plain', 'text/plain; charset=utf-8', 'application/xml', 'application/x-www-form-urlencoded', 'application/vnd.api+json'])(
    'a %s body on a JSON route is 415 REQUEST.UNSUPPORTED_MEDIA_TYPE, not a 400 listing every field',
    async (contentType) => {
      const response = await app.inject({
        method: 'POST',
        url: '/loans/L-1/payments',
        payload: JSON.stringify(paymentRequest('P-TEXT-BODY', '10.00', '2026-02-15')),
        headers: { 'content-type': contentType },
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({
        code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        message: `The body must be JSON, sent as Content-Type: application/json, not ${contentType}`,
      });
    },
  );

  it('a command on a loan that does not exist names the loan', async () => {
    const response = await post('/loans/NOPE/payments', paymentRequest('P-NOPE', '10.00', '2026-02-15'));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'LOAN.NOT_FOUND', message: 'No loan NOPE', details: { loanId: 'NOPE' } });
    for (const url of ['/loans/NOPE', '/loans/NOPE/events', '/loans/NOPE/overdue-status', '/loans/NOPE/payments']) {
      const read = await app.inject({ method: 'GET', url });
      expect({ url, status: read.statusCode, message: read.json().message }).toEqual({ url, status: 404, message: 'No loan NOPE' });
    }
  });
});
