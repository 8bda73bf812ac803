#!/usr/bin/env -S node --max-semi-space-size=64
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import cliProgress from 'cli-progress';
import { parseArgs } from 'node:util';
import { AppModule } from './app.module.js';
import { CloseOfBusinessService } from './close-of-business/close-of-business.service.js';
import { InvalidConfigurationError, loadConfig } from './config/app-config.js';
import { isBusinessDate } from './kernel/dates/business-date.js';
import { DomainError } from './kernel/errors/domain-error.js';
import { createLogger } from './logging/create-logger.js';
import { PinoNestLogger } from './logging/pino-nest-logger.js';

const USAGE = `Usage:
  arrears cob --date YYYY-MM-DD     run close of business for a business date

Settings come from the same environment variables as the server (see README.md).
Results are printed as JSON on stdout; progress and logs go to stderr.`;

/** Exit codes: 0 done, 1 failed, 2 bad usage, 3 refused by a business rule, 78 bad configuration. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'cob') return usage(command ? `Unknown command: ${command}` : 'No command given');
  const { values } = parseArgs({ args: rest, options: { date: { type: 'string' } }, strict: true });
  if (!values.date || !isBusinessDate(values.date)) return usage('--date must be a calendar date YYYY-MM-DD');

  // The CLI shares the server's stores; it runs no projections of its own but catches up
  // the ones it needs (runners never apply an event twice, even beside a running server).
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, PROJECTIONS_ENABLED: 'false', COB_DAILY_AT: 'off' });
  const logger = createLogger(config, process.stderr);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, logger), { logger: new PinoNestLogger(logger) });
  // Progress also goes to a log file or pipe (a line a second), not only to a terminal.
  const bar = new cliProgress.SingleBar(
    { format: 'close of business {bar} {value}/{total} loans | {eta_formatted} left', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 },
    cliProgress.Presets.shades_classic,
  );
  try {
    let started = false;
    const result = await app.get(CloseOfBusinessService).run(values.date, 'cli', (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    });
    bar.stop();
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    bar.stop();
    if (error instanceof DomainError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      return 3;
    }
    throw error;
  } finally {
    await app.close();
  }
}

function usage(problem: string): number {
  process.stderr.write(`${problem}\n\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof InvalidConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) process.exit(usage((error as Error).message));
    process.stderr.write(`arrears failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
