import type { INestApplicationContext } from '@nestjs/common';
import { CloseOfBusinessService } from '../close-of-business/close-of-business.service.js';
import { isBusinessDate } from '../kernel/dates/business-date.js';
import { UsageError } from './usage-error.js';
import { ProgressBar } from './progress-bar.js';

/** `arrears cob --date D`: close of business for a date; the result as JSON on stdout. */
export async function closeOfBusinessCommand(app: INestApplicationContext, options: { date: string }): Promise<void> {
  if (!isBusinessDate(options.date)) throw new UsageError('--date must be a calendar date YYYY-MM-DD');
  const bar = new ProgressBar('close of business', 'loans');
  try {
    const result = await app.get(CloseOfBusinessService).run(options.date, 'cli', (done, total) => bar.update(done, total));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    bar.stop();
  }
}
