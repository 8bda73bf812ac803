import { Writable } from 'node:stream';
import { pino } from 'pino';
import { PinoNestLogger } from '../../src/logging/pino-nest-logger.js';
import { DailyCloseOfBusinessScheduler } from '../../src/close-of-business/daily-close-of-business.scheduler.js';
import type { AppConfig } from '../../src/config/app-config.js';
import type { CloseOfBusinessService } from '../../src/close-of-business/close-of-business.service.js';

function capture(level: 'info' | 'debug') {
  const lines: { level: number; msg: string; context?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe('the start-up console (issue 25)', () => {
  it("puts Nest's route mapping and module lines at debug, its other lines at info", async () => {
    for (const level of ['info', 'debug'] as const) {
      const { logger, lines } = capture(level);
      const nest = new PinoNestLogger(logger);
      nest.log('LoansController {/loans}:', 'RoutesResolver');
      nest.log('Mapped {/loans, POST} route', 'RouterExplorer');
      nest.log('AppModule dependencies initialized', 'InstanceLoader');
      nest.log('something worth reading', 'SomeService');
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines.map((l) => l.msg)).toEqual(
        level === 'info'
          ? ['something worth reading']
          : ['LoansController {/loans}:', 'Mapped {/loans, POST} route', 'AppModule dependencies initialized', 'something worth reading'],
      );
    }
  });

  it.each([
    ['23:30', /^Daily close of business is scheduled at 23:30 Asia\/Shanghai; next for \d{4}-\d{2}-\d{2}$/],
    ['off', /^Daily close of business is off \(COB_DAILY_AT=off\): run it with POST \/close-of-business or arrears cob$/],
  ])('says in one line whether the daily close of business is scheduled (COB_DAILY_AT=%s)', async (at, line) => {
    const { logger, lines } = capture('info');
    const config = { COB_DAILY_AT: at, COB_TIME_ZONE: 'Asia/Shanghai' } as AppConfig;
    const scheduler = new DailyCloseOfBusinessScheduler(config, {} as CloseOfBusinessService, logger);
    scheduler.onApplicationBootstrap();
    await scheduler.onApplicationShutdown();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(line)]);
  });
});
