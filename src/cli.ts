#!/usr/bin/env -S node --max-semi-space-size=64
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app/app.module.js';
import { closeOfBusinessCommand } from './cli/cob.command.js';
import { reportCommand } from './cli/report.command.js';
import { assessmentPerformanceCommand, parseAssessmentPerformanceArgs } from './cli/assessment-performance.command.js';
import { historyCommand } from './cli/history.command.js';
import { exportCommand } from './cli/export.command.js';
import { verifyCommand } from './cli/verify.command.js';
import { replayCommand } from './cli/replay.command.js';
import { keysCommand } from './cli/keys.command.js';
import { simulateCommand } from './cli/simulate.command.js';
import { UsageError } from './cli/usage-error.js';
import { InvalidConfigurationError, loadConfig } from './config/app-config.js';
import { DomainError } from './kernel/errors/domain-error.js';
import { createLogger } from './logging/create-logger.js';
import { PinoNestLogger } from './logging/pino-nest-logger.js';

const USAGE = `Usage:
  arrears cob --date YYYY-MM-DD                       run close of business for a business date
  arrears report --as-of YYYY-MM-DD --out FILE        write the regulator report for a closed date
                 [--format json|csv]                  (default: csv when FILE ends in .csv, else json)
  arrears report assessment-performance               how well the credit assessment predicted who fell behind
                 --as-of YYYY-MM-DD [--outcome dpd30|dpd90] [--window MONTHS] [--format json|csv] [--out FILE]
                                                      (default: dpd30, 12 months, json to stdout)
  arrears history LOAN_ID                             the loan's events, one line each
  arrears export [--loan LOAN_ID] [--out FILE]        events as stored, as NDJSON (default: all, to stdout)
  arrears verify                                      check every hash chain and rebuild every projection
                                                      to compare with the live one; exit 4 on a difference
  arrears replay [--projection NAME]                  rebuild projections from the first event into fresh
                                                      tables and swap them in atomically
  arrears simulate --loans N --months M [--seed S]    build a realistic portfolio through the command API and
                 [--start YYYY-MM-DD]                 close of business (default start: M months before this month)
  arrears keys add --principal NAME --role ROLE...    add an API key to API_KEYS_FILE; prints its secret once
                                                      (roles: servicer, collector, auditor, viewer, admin)
  arrears keys list                                   principals, roles and key ids (never a secret)
  arrears keys revoke --principal NAME | --key-id ID  remove keys; a running engine stops accepting them

Settings come from the same environment variables as the server (see README.md).
Results are printed as JSON on stdout; progress and logs go to stderr.`;

const COMMANDS: Record<string, (app: INestApplicationContext, args: string[]) => Promise<number | void>> = {
  cob: closeOfBusinessCommand,
  report: reportCommand,
  history: historyCommand,
  export: exportCommand,
  verify: verifyCommand,
  replay: replayCommand,
};

/** Exit codes: 0 done, 1 failed, 2 bad usage, 3 refused by a business rule, 4 verification found a difference, 78 bad configuration. */
async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  // Key management edits the keys file only: it needs no store open.
  if (name === 'keys') return keysCommand(loadConfig(process.env), args);
  if (name === 'simulate') {
    const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, PROJECTIONS_ENABLED: 'false', COB_DAILY_AT: 'off' });
    return simulateCommand(config, createLogger(config, process.stderr), args);
  }
  const command =
    name === 'report' && args[0] === 'assessment-performance'
      ? (app: INestApplicationContext, rest: string[]) => assessmentPerformanceCommand(app, parseAssessmentPerformanceArgs(rest.slice(1)))
      : name === undefined
        ? undefined
        : COMMANDS[name];
  if (!command) return usage(name ? `Unknown command: ${name}` : 'No command given');

  // The CLI shares the server's stores; it runs no projections of its own but catches up
  // the ones it needs (runners never apply an event twice, even beside a running server).
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, PROJECTIONS_ENABLED: 'false', COB_DAILY_AT: 'off' });
  const logger = createLogger(config, process.stderr);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, logger), { logger: new PinoNestLogger(logger) });
  try {
    return (await command(app, args)) ?? 0;
  } catch (error) {
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
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) process.exit(usage((error as Error).message));
    process.stderr.write(`arrears failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
