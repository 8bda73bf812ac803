import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { disbursementRequest, originationRequest } from '../fixtures/loan-requests.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

/** Names and document numbers a borrower gave cannot run as formulas in the spreadsheet an auditor opens a CSV in. */
const BORROWERS = [
  { borrowerId: 'B-1', name: '=HYPERLINK("http://example.invalid","click")', number: '110101199003074512' },
  { borrowerId: 'B-2', name: "@SUM(1+1)*cmd|' /C calc'!A0", number: '110101199003074512' },
  { borrowerId: 'B-3', name: '+1+1', number: '-1-1-1' },
];

describe('CSV injection through personal data', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp(testConfig());
    const post = async (url: string, payload: object) => expect((await app.inject({ method: 'POST', url, payload })).statusCode).toBeLessThan(300);
    for (const { borrowerId, name, number } of BORROWERS) {
      await post('/loans', { ...originationRequest(`L-${borrowerId}`, borrowerId), borrower: { name, identityDocument: { type: 'national-id', number } } });
      await post(`/loans/L-${borrowerId}/disbursements`, disbursementRequest);
    }
    await post('/close-of-business', { businessDate: '2026-02-28' });
  });
  afterAll(() => app?.close());

  it.each(BORROWERS)('neutralises $name (document $number) in credit-history.csv', async ({ borrowerId, name, number }) => {
    const csv = (await app.inject({ method: 'GET', url: `/borrowers/${borrowerId}/credit-history.csv?asOf=2026-02` })).body;
    const cells = csv.split('\r\n')[1]!;
    const field = (text: string) => (/[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
    expect(cells).toContain(`,${field(`'${name}`)},`);
    expect(cells).toContain(number.startsWith('-') ? `,'${number},` : `,${number},`);
  });
});
