import { jest } from '@jest/globals';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { DAILY_CLOSE_RETRY_MS, DailyCloseOfBusinessScheduler } from '../../src/close-of-business/daily-close-of-business.scheduler.js';
import { CobInProgressError } from '../../src/close-of-business/cob-in-progress.error.js';
import type { AppConfig } from '../../src/config/app-config.js';
import type { CloseOfBusinessService } from '../../src/close-of-business/close-of-business.service.js';

/**
 * The daily close refused because a close of business runs elsewhere on the store (another
 * engine's daily close, or an operator's `arrears cob` for an earlier day) asks again until it
 * has run, rather than leaving its day open until the next day's close.
 */
describe('the daily close of business, refused while another run holds the lock', () => {
  afterEach(() => jest.useRealTimers());

  it('asks again every DAILY_CLOSE_RETRY_MS until it runs, then schedules the next day', async () => {
    // 2026-03-10 23:29:00 in Shanghai: the close of 2026-03-10 is due in a minute.
    jest.useFakeTimers({ now: new Date('2026-03-10T15:29:00Z') });
    const runs: string[] = [];
    let refusals = 2;
    const closeOfBusiness = {
      run: async (businessDate: string) => {
        runs.push(businessDate);
        if (refusals-- > 0) throw new CobInProgressError('arrears ops-host pid 42: close of business 2026-03-09');
        return { businessDate };
      },
    } as unknown as CloseOfBusinessService;
    const said: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          said.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
          done();
        },
      }),
    );
    const scheduler = new DailyCloseOfBusinessScheduler({ COB_DAILY_AT: '23:30', COB_TIME_ZONE: 'Asia/Shanghai' } as AppConfig, closeOfBusiness, logger);
    scheduler.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual(['2026-03-10']);
    await jest.advanceTimersByTimeAsync(DAILY_CLOSE_RETRY_MS);
    expect(runs).toEqual(['2026-03-10', '2026-03-10']);
    await jest.advanceTimersByTimeAsync(DAILY_CLOSE_RETRY_MS);
    // The third time it ran; nothing more today, the next is tomorrow's.
    expect(runs).toEqual(['2026-03-10', '2026-03-10', '2026-03-10']);
    await jest.advanceTimersByTimeAsync(10 * DAILY_CLOSE_RETRY_MS);
    expect(runs).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(runs).toEqual(['2026-03-10', '2026-03-10', '2026-03-10', '2026-03-11']);

    await scheduler.onApplicationShutdown();
    expect(said.filter((msg) => msg.startsWith('daily close of business waits'))).toHaveLength(2);
    expect(said.filter((msg) => msg.includes('next for 2026-03-11'))).toHaveLength(1);
  });
});
