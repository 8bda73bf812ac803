import type { ArgumentsHost } from '@nestjs/common';
import type { Logger } from 'pino';
import { ErrorFilter } from '../../src/http/error.filter.js';
import { StreamBusyError } from '../../src/kernel/event-store/stream-busy.error.js';
import { WrongExpectedRevisionError } from '../../src/kernel/event-store/wrong-expected-revision.error.js';

/** What the filter answers an error with: status, headers, body. */
function answer(error: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ headers: {} }) }) } as unknown as ArgumentsHost;
  new ErrorFilter({ error: () => undefined } as unknown as Logger, 1_000).catch(error, host);
  return sent;
}

describe('a command whose attempts ran out against other writers (issue 24)', () => {
  it('is answered 503 STREAM.BUSY with Retry-After: the client may send it again', () => {
    expect(answer(new StreamBusyError('loan-L-1', 10))).toEqual({
      status: 503,
      headers: { 'retry-after': '1' },
      body: { code: 'STREAM.BUSY', message: expect.stringContaining('loan-L-1'), details: { stream: 'loan-L-1', attempts: 10, retryAfterSeconds: 1 } },
    });
  });

  it('leaves other conflicts as they were: 409, no Retry-After', () => {
    expect(answer(new WrongExpectedRevisionError('loan-L-1', 3, 4))).toMatchObject({ status: 409, headers: {}, body: { code: 'STREAM.WRONG_EXPECTED_REVISION' } });
  });
});
