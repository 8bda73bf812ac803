import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pacedLoad } from '../../bench/support/paced-load.js';
import type { OutgoingRequest } from '../../bench/support/outgoing-request.js';

/**
 * The even-rate load of bench:http's half-saturation runs, which writes and reads HTTP/1.1
 * on plain sockets: every request arrives whole (method, path, headers, body), every
 * response is read to its end and counted once, the lead-in (a second, or more requests
 * where asked) is sent but not counted, and a refusal is kept with its body. No timing is
 * asserted. The runs here ask for no lead-in by count: at their rates the bench's 30,000
 * requests would take minutes.
 */
describe('paced load', () => {
  let server: Server;
  let url: string;
  const arrived: Array<{ method: string; url: string; authorization: string | undefined; body: string }> = [];
  let answer: (request: IncomingMessage, response: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        arrived.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body: Buffer.concat(chunks).toString() });
        answer(request, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    arrived.length = 0;
  });

  const numbered = (make: (n: number) => OutgoingRequest) => {
    let n = 0;
    return () => make(n++);
  };

  it('sends every request whole at the rate and counts the answers after the lead-in second', async () => {
    // A body long enough to arrive in more than one chunk.
    const padding = 'x'.repeat(100_000);
    answer = (request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ echoed: request.url, padding }));
    };
    const result = await pacedLoad(
      { url, authorization: 'Bearer secret', connections: 4, seconds: 1, overallRate: 200, leadInRequests: 0, traffic: { kind: 'queries', path: '/x', loans: 1 } },
      numbered((n) => ({ method: 'POST', path: `/things/${n}`, body: JSON.stringify({ n }) })),
    );
    // 200 in the lead-in second, 200 measured.
    expect(arrived).toHaveLength(400);
    expect(arrived.map((request) => request.url).sort()).toEqual(Array.from({ length: 400 }, (_, n) => `/things/${n}`).sort());
    for (const request of arrived) {
      expect(request.method).toBe('POST');
      expect(request.authorization).toBe('Bearer secret');
      expect(JSON.parse(request.body)).toEqual({ n: Number(request.url.split('/')[2]) });
    }
    expect(result.answered).toBe(200);
    expect(result.statusCodes).toEqual({ 200: 400 });
    expect(result.refused + result.errors + result.timeouts).toBe(0);
    expect(result.latencyMs.p50).toBeGreaterThan(0);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(result.latencyMs.p99);
  });

  it('sends at least the lead-in requests asked for before it counts any, where they outnumber a second of the rate', async () => {
    answer = (_request, response) => response.end('ok');
    const result = await pacedLoad(
      { url, connections: 4, seconds: 1, overallRate: 200, leadInRequests: 300, traffic: { kind: 'queries', path: '/x', loans: 1 } },
      numbered((n) => ({ method: 'GET', path: `/things/${n}` })),
    );
    // 300 before counting (more than the 200 of a second), then the 200 of the measured second.
    expect(arrived).toHaveLength(500);
    expect(result.statusCodes).toEqual({ 200: 500 });
    expect(result.answered).toBe(200);
  });

  it('keeps the first refusal with its body, and every status as it came', async () => {
    answer = (request, response) => {
      const refused = request.url === '/things/7';
      response.statusCode = refused ? 409 : 204;
      response.end(refused ? JSON.stringify({ code: 'PAYMENT.CONFLICT' }) : undefined);
    };
    const result = await pacedLoad(
      { url, connections: 2, seconds: 1, overallRate: 20, leadInRequests: 0, traffic: { kind: 'queries', path: '/x', loans: 1 } },
      numbered((n) => ({ method: 'GET', path: `/things/${n}` })),
    );
    expect(result.statusCodes).toEqual({ 204: 39, 409: 1 });
    expect(result.refused).toBe(1);
    expect(result.firstRefusal).toEqual({ status: 409, body: '{"code":"PAYMENT.CONFLICT"}' });
    expect(result.answered).toBe(20);
  });

  it('counts a response it cannot read to its end (no Content-Length) as an error, not an answer', async () => {
    answer = (_request, response) => {
      // Chunked: node:http's default when the length is not known in advance.
      response.write('part one');
      response.end('part two');
    };
    const result = await pacedLoad(
      { url, connections: 2, seconds: 1, overallRate: 5, leadInRequests: 0, traffic: { kind: 'queries', path: '/x', loans: 1 } },
      numbered((n) => ({ method: 'GET', path: `/things/${n}` })),
    );
    expect(result.answered).toBe(0);
    expect(result.errors).toBe(10);
    expect(result.firstRefusal?.body).toContain('without Content-Length');
  });
});
