import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Temporal } from 'temporal-polyfill';
import { AppConfig } from '../config/app-config.js';
import { LOGGER } from '../logging/logger.token.js';
import { CloseOfBusinessService } from './close-of-business.service.js';
import { CobInProgressError } from './cob-in-progress.error.js';

const SCHEDULER_ACTOR = 'system:daily-close-of-business';
/** How long a daily close refused for a run elsewhere waits before it asks again. */
export const DAILY_CLOSE_RETRY_MS = 60_000;

/**
 * In server mode, runs close of business every day at COB_DAILY_AT in COB_TIME_ZONE for
 * that local date. `off` disables it (the tests, and a lender that triggers COB itself).
 */
@Injectable()
export class DailyCloseOfBusinessScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly closeOfBusiness: CloseOfBusinessService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.COB_DAILY_AT !== 'off') this.scheduleNext();
    else this.logger.info({ COB_DAILY_AT: 'off' }, 'Daily close of business is off (COB_DAILY_AT=off): run it with POST /close-of-business or arrears cob');
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }

  private scheduleNext(): void {
    // From Date.now(), not Temporal.Now: the polyfill keeps the Date it loaded with, which a test's fake clock cannot reach.
    const now = Temporal.Instant.fromEpochMilliseconds(Date.now()).toZonedDateTimeISO(this.config.COB_TIME_ZONE);
    const at = Temporal.PlainTime.from(this.config.COB_DAILY_AT);
    let next = now.withPlainTime(at);
    if (Temporal.ZonedDateTime.compare(next, now) <= 0) next = next.add({ days: 1 });
    const businessDate = next.toPlainDate().toString();
    const delayMs = next.epochMilliseconds - now.epochMilliseconds;
    this.logger.info(
      { businessDate, at: next.toString(), timeZone: this.config.COB_TIME_ZONE },
      `Daily close of business is scheduled at ${this.config.COB_DAILY_AT} ${this.config.COB_TIME_ZONE}; next for ${businessDate}`,
    );
    this.timer = setTimeout(() => this.close(businessDate), delayMs);
    this.timer.unref();
  }

  /**
   * Refused while a run holds the lock elsewhere, it asks again every DAILY_CLOSE_RETRY_MS
   * until it runs: several engines on one store each schedule the day, and the first closes
   * it (the others then find it closed), but the holder may as well be an operator's
   * `arrears cob` for an earlier day, after which this one is still open.
   */
  private close(businessDate: string): void {
    this.running = this.closeOfBusiness.run(businessDate, SCHEDULER_ACTOR).then(
      () => this.scheduleNext(),
      (error: unknown) => {
        if (error instanceof CobInProgressError) {
          this.logger.info(
            { businessDate, holder: error.holder, retryInMs: DAILY_CLOSE_RETRY_MS },
            'daily close of business waits: a close of business is running elsewhere on this store',
          );
          this.timer = setTimeout(() => this.close(businessDate), DAILY_CLOSE_RETRY_MS);
          this.timer.unref();
          return;
        }
        this.logger.error({ err: error, businessDate }, 'daily close of business failed');
        this.scheduleNext();
      },
    );
  }
}
