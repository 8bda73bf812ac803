import { Writable } from 'node:stream';
import { pino } from 'pino';
import { lazyRequestLogger } from '../../src/app/lazy-request-logger.js';

/** A pino logger like the engine's (redaction included) writing its records into an array. */
function capturedLogger(level: 'info' | 'warn') {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) records.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level, base: { service: 'arrears' }, redact: ['req.headers.authorization', '*.borrower.name'] }, stream);
  return { logger, records };
}

describe("a request's logger made when it writes", () => {
  it('writes what pino\'s own child of the request writes: the bindings, the record, the redaction', () => {
    const lazy = capturedLogger('info');
    const own = capturedLogger('info');
    const record = { req: { headers: { authorization: 'Bearer secret' } }, event: { borrower: { name: 'Wang' } } };
    lazyRequestLogger(lazy.logger, { reqId: 'req-1' }, {}).info(record, 'incoming request');
    own.logger.child({ reqId: 'req-1' }).info(record, 'incoming request');
    const withoutTime = (written: Record<string, unknown>) => ({ ...written, time: undefined, pid: undefined });
    expect(lazy.records.map(withoutTime)).toEqual(own.records.map(withoutTime));
    expect(lazy.records[0]).toMatchObject({ reqId: 'req-1', msg: 'incoming request', req: { headers: { authorization: '[Redacted]' } } });
  });

  it('writes nothing below the level, and every level from it up', () => {
    const { logger, records } = capturedLogger('warn');
    const requestLogger = lazyRequestLogger(logger, { reqId: 'req-2' }, {});
    requestLogger.info('not written');
    requestLogger.debug('not written');
    requestLogger.warn('written');
    requestLogger.error(new Error('failed'), 'written too');
    expect(records.map((record) => [record['msg'], record['reqId']])).toEqual([
      ['written', 'req-2'],
      ['written too', 'req-2'],
    ]);
    expect(requestLogger.level).toBe('warn');
  });

  it("makes children that keep the request's bindings", () => {
    const { logger, records } = capturedLogger('info');
    lazyRequestLogger(logger, { reqId: 'req-3' }, {}).child({ part: 'body' }).info('read');
    expect(records[0]).toMatchObject({ reqId: 'req-3', part: 'body', msg: 'read' });
  });
});

describe("a request's logger on a route with a log level of its own", () => {
  it('writes by that level, not the engine-wide one', () => {
    const { logger, records } = capturedLogger('warn');
    lazyRequestLogger(logger, { reqId: 'req-4' }, { level: 'debug' }).debug('written at the route\'s level');
    expect(records).toEqual([expect.objectContaining({ reqId: 'req-4', msg: "written at the route's level" })]);
  });
});
