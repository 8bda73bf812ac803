import type { Logger } from 'pino';
import { ApiKeyRegistry } from '../auth/api-key-registry.js';
import { generateApiKeySecret, hashApiKeySecret } from '../auth/api-key-secret.js';
import type { AppConfig } from '../config/app-config.js';
import { createHttpApp } from '../app/create-http-app.js';
import { CloseOfBusinessService } from '../close-of-business/close-of-business.service.js';
import { BusinessRuleViolation } from '../kernel/errors/domain-error.js';
import { addMonths, isBusinessDate } from '../kernel/dates/business-date.js';
import { firstDayOf, monthOf } from '../kernel/dates/year-month.js';
import type { CommandApi } from '../simulation/command-api.js';
import { simulatePortfolio } from '../simulation/simulate-portfolio.js';
import { ProgressBar } from './progress-bar.js';
import { UsageError } from './usage-error.js';

const SIMULATOR = 'simulator';

/**
 * `arrears simulate --loans N --months M --seed S [--start YYYY-MM-DD]`: builds a portfolio
 * in the configured stores through the engine's own HTTP API, in this process, under a key
 * that exists only while it runs (events name `simulator` as their actor). A running
 * engine on the same stores projects what it appends.
 */
export async function simulateCommand(
  config: AppConfig,
  logger: Logger,
  values: { loans?: string; months?: string; seed?: string; start?: string },
  today: () => Date = () => new Date(),
): Promise<number> {
  const loans = positiveInteger(values.loans, '--loans', 1, 1_000_000);
  const months = positiveInteger(values.months, '--months', 1, 120);
  const seed = positiveInteger(values.seed ?? '1', '--seed', 0, 2 ** 31 - 1);
  if (values.start !== undefined && !isBusinessDate(values.start)) throw new UsageError('--start must be a date YYYY-MM-DD');
  // By default the simulated period ends with last month, so no contact lies in the future.
  const startOn = values.start ?? addMonths(firstDayOf(monthOf(today().toISOString().slice(0, 10))), -months);

  const secret = generateApiKeySecret();
  const keys = new ApiKeyRegistry([{ principal: SIMULATOR, roles: ['servicer', 'collector', 'admin', 'viewer'], sha256: hashApiKeySecret(secret) }]);
  const app = await createHttpApp({ ...config, RATE_LIMIT_PER_MINUTE: 10_000_000 }, logger, [], keys);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const lastClosedOn = await app.get(CloseOfBusinessService).lastClosedOn().catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  if (lastClosedOn !== undefined && lastClosedOn >= startOn) {
    await app.close();
    throw new BusinessRuleViolation(
      'SIMULATION.STORE_ALREADY_CLOSED',
      `These stores are already closed through ${lastClosedOn}, on or after the simulation's first day ${startOn}, and business days cannot be closed again: ` +
        'simulate into empty stores (point SQLITE_EVENTS_PATH and SQLITE_READ_MODELS_PATH at new files, or move ./data aside)',
      { lastClosedOn, startOn },
    );
  }
  const api: CommandApi = {
    request: async (method, url, body) => {
      const response = await app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(body && { payload: body }) });
      return { status: response.statusCode, body: response.body === '' ? undefined : (response.json() as unknown) };
    },
  };
  const progress = new ProgressBar('Simulating', 'business days');
  try {
    const summary = await simulatePortfolio(api, { loans, months, seed, startOn }, (day, days) => progress.update(day, days));
    progress.stop();
    process.stdout.write(`${JSON.stringify({ seed, startOn, ...summary }, null, 2)}\n`);
    return 0;
  } finally {
    progress.stop();
    await app.close();
  }
}

function positiveInteger(text: string | undefined, option: string, min: number, max: number): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`${option} must be a whole number from ${min} to ${max}`);
  return value;
}
