#!/usr/bin/env -S node --max-semi-space-size=64
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './cli/usage-error.js';
import type { AppConfig } from './config/app-config.js';

/**
 * `arrears`: the command line. Only commander is loaded up front; each command loads what it
 * needs when it runs, and only the commands that read or write data open the Nest
 * application (src/cli/app-context.ts), so `--help` and `keys` start in a fraction of a second.
 */

/** The exit codes, documented in `arrears --help` and README.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, differences: 4, configuration: 78 } as const;

const EXIT_CODES_HELP = `
Exit codes:
  0   done
  1   failed unexpectedly (one line on stderr; --verbose prints the stack trace)
  2   bad usage: an unknown command or option, a missing or malformed value
  3   not found (a loan, a key, an events file) or refused by a business rule (CODE: message)
  4   verify found a broken hash chain or a projection that differs
  78  bad configuration (the environment variables; the message names each one)

Settings come from the same environment variables as the server (see README.md).
Results are printed on stdout (JSON unless said otherwise); progress and logs go to stderr.`;


function program(setExitCode: (code: number) => void): Command {
  const cli = new Command('arrears')
    .description('Arrears: an event-sourced loan servicing engine. Commands for operators and auditors.')
    .option('--verbose', 'print the stack trace of an unexpected failure')
    .addHelpText('after', EXIT_CODES_HELP)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  /** Every command but keys and simulate reads the CLI's settings and opens the app. */
  const withApp = async <T>(run: (app: import('@nestjs/common').INestApplicationContext, config: AppConfig) => Promise<T>, overrides: Record<string, string> = {}) => {
    const config = await cliConfig(overrides);
    const [{ withAppContext }, { createLogger }] = await Promise.all([import('./cli/app-context.js'), import('./logging/create-logger.js')]);
    return withAppContext(config, createLogger(config, process.stderr), (app) => run(app, config));
  };

  cli
    .command('cob')
    .description('run close of business for a business date; the counts as JSON')
    .requiredOption('--date <YYYY-MM-DD>', 'the business date to close (not after today)')
    .action(async (options: { date: string }) => {
      const { closeOfBusinessCommand } = await import('./cli/cob.command.js');
      await withApp((app) => closeOfBusinessCommand(app, options));
    });

  cli
    .command('report')
    .description('write the regulator report for a closed date to a file (whole or not at all); prints its SHA-256')
    // Required, but checked here: commander would ask a subcommand (assessment-performance) for them too.
    .option('--as-of <YYYY-MM-DD>', 'a business date closed by close of business (required)')
    .option('--out <FILE>', 'the file to write (its directory must exist; required)')
    .addOption(new Option('--format <FORMAT>', 'default: csv when FILE ends in .csv, else json').choices(['json', 'csv']))
    .action(async (options: { asOf?: string; out?: string; format?: string }) => {
      const { checkReportOptions, reportCommand } = await import('./cli/report.command.js');
      if (options.asOf === undefined) throw new UsageError("required option '--as-of <YYYY-MM-DD>' not specified");
      if (options.out === undefined) throw new UsageError("required option '--out <FILE>' not specified");
      const checked = checkReportOptions({ ...options, asOf: options.asOf, out: options.out }); // before the app opens: a bad --out fails at once
      await withApp((app) => reportCommand(app, checked));
    });

  cli.commands
    .find((command) => command.name() === 'report')!
    .command('assessment-performance')
    .description('how well the credit assessment predicted who fell behind (GET /reports/assessment-performance): to stdout, or to a file whose SHA-256 it prints')
    .option('--as-of <YYYY-MM-DD>', 'a business date closed by close of business (required)')
    .addOption(new Option('--outcome <OUTCOME>', 'bad: 30 or 90 days past due within the window').choices(['dpd30', 'dpd90']).default('dpd30'))
    .option('--window <MONTHS>', 'months after disbursement the outcome is judged over', '12')
    .addOption(new Option('--format <FORMAT>', 'default: csv when FILE ends in .csv, else json').choices(['json', 'csv']))
    .option('--out <FILE>', 'the file to write (whole or not at all); default: stdout')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options: { asOf?: string; outcome: string; window: string; format?: string; out?: string }, command: Command) => {
      const { assessmentPerformanceCommand, checkAssessmentPerformanceOptions } = await import('./cli/assessment-performance.command.js');
      // `report` has --as-of, --out and --format of its own and takes them wherever they stand: read them from it too.
      const merged = { ...(command.parent?.opts() as { asOf?: string; format?: string; out?: string }), ...options };
      if (merged.asOf === undefined) throw new UsageError("required option '--as-of <YYYY-MM-DD>' not specified");
      const checked = checkAssessmentPerformanceOptions(merged);
      await withApp((app) => assessmentPerformanceCommand(app, checked));
    });

  cli
    .command('history')
    .description("a loan's events, oldest first, one line each with amounts as decimals")
    .argument('<LOAN_ID>', 'the loan')
    .option('--json', 'the event log as JSON, as GET /loans/{id}/events returns it (amounts in minor units)')
    .action(async (loanId: string, options: { json?: boolean }) => {
      const { historyCommand } = await import('./cli/history.command.js');
      await withApp((app) => historyCommand(app, loanId, options));
    });

  cli
    .command('export')
    .description('events exactly as stored, as NDJSON, for an examiner (all of them, or one loan)')
    .option('--loan <LOAN_ID>', "only this loan's events (exit 3 when there is no such loan)")
    .option('--out <FILE>', 'write to a file instead of stdout')
    .action(async (options: { loan?: string; out?: string }) => {
      const { exportCommand } = await import('./cli/export.command.js');
      await withApp((app) => exportCommand(app, options));
    });

  cli
    .command('verify')
    .description(
      'check every hash chain, then rebuild every projection from the first event in a scratch store and compare it with ' +
        'the live one; with only an events file (no read models), rebuild without comparing',
    )
    .option('--events <FILE>', 'the events file to verify (default: SQLITE_EVENTS_PATH)')
    .action(async (options: { events?: string }) => {
      const { prepareVerify, verifyCommand } = await import('./cli/verify.command.js');
      const { overrides, eventsOnly, cleanUp } = await prepareVerify(await cliConfig(), options);
      try {
        setExitCode(await withApp((app) => verifyCommand(app, { eventsOnly }), overrides));
      } finally {
        cleanUp();
      }
    });

  cli
    .command('replay')
    .description('rebuild projections from the first event into fresh tables and swap them in atomically')
    .option('--projection <NAME>', 'only this projection')
    .action(async (options: { projection?: string }) => {
      const { replayCommand } = await import('./cli/replay.command.js');
      await withApp((app) => replayCommand(app, options));
    });

  cli
    .command('simulate')
    .description('build a realistic portfolio through the command API and a close of business for every day, into empty stores')
    .requiredOption('--loans <N>', 'how many loans (1 to 1,000,000)')
    .requiredOption('--months <M>', 'how many months (1 to 120)')
    .option('--seed <S>', 'the random seed', '1')
    .option('--start <YYYY-MM-DD>', 'the first day (default: M months before this month, so the period ends last month)')
    .action(async (options: { loans: string; months: string; seed: string; start?: string }) => {
      const [{ simulateCommand }, { createLogger }] = await Promise.all([import('./cli/simulate.command.js'), import('./logging/create-logger.js')]);
      const config = await cliConfig();
      await simulateCommand(config, createLogger(config, process.stderr), options);
    });

  const keys = cli
    .command('keys')
    .description('manage the API keys in API_KEYS_FILE (a running engine picks up changes within seconds)')
    .addHelpText('after', EXIT_CODES_HELP);
  const keysConfig = () => cliConfig();
  keys
    .command('add')
    .description('add a key; prints its secret once (only its hash is kept)')
    .requiredOption('--principal <NAME>', 'who uses the key (1-100 characters of A-Z a-z 0-9 . _ : @ -)')
    .requiredOption('--role <ROLE>', 'servicer, collector, auditor, viewer or admin; repeat for more', (role: string, roles: string[] = []) => [...roles, role])
    .action(async (options: { principal: string; role: string[] }) => {
      const { addKey } = await import('./cli/keys.command.js');
      addKey(await keysConfig(), options);
    });
  keys
    .command('list')
    .description('principals, roles and key ids (never a secret), one JSON line each')
    .action(async () => {
      const { listKeys } = await import('./cli/keys.command.js');
      listKeys(await keysConfig());
    });
  keys
    .command('revoke')
    .description('remove keys, by key id or every key of a principal (exit 3 when none matches)')
    .option('--principal <NAME>', 'every key of this principal')
    .option('--key-id <ID>', 'the key with this id')
    .action(async (options: { principal?: string; keyId?: string }) => {
      const { revokeKeys } = await import('./cli/keys.command.js');
      setExitCode(revokeKeys(await keysConfig(), options));
    });

  // Every command explains its exit codes too.
  for (const command of [...cli.commands, ...keys.commands]) if (command !== keys) command.addHelpText('after', EXIT_CODES_HELP);
  return cli;
}

/**
 * The CLI shares the server's stores; it runs no projections of its own but catches up the
 * ones it needs (runners never apply an event twice, even beside a running server).
 */
async function cliConfig(overrides: Record<string, string> = {}): Promise<AppConfig> {
  await import('reflect-metadata');
  const { loadConfig } = await import('./config/app-config.js');
  return loadConfig({ LOG_LEVEL: 'warn', ...process.env, ...overrides, PROJECTIONS_ENABLED: 'false', COB_DAILY_AT: 'off' });
}

/** `arrears keys add …` → "arrears keys add": the command an error line names (only a command that exists). */
function commandPath(cli: Command, argv: readonly string[]): string {
  const words = ['arrears'];
  let command: Command | undefined = cli;
  for (const word of argv.filter((w) => w !== '--verbose')) {
    command = command.commands.find((c) => c.name() === word);
    if (command === undefined) break;
    words.push(word);
    if (command.commands.length === 0) break;
  }
  return words.join(' ');
}

async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const cli = program((code) => (exitCode = code));
  const name = commandPath(cli, argv);
  const verbose = argv.includes('--verbose');
  try {
    if (argv.length === 0) {
      process.stderr.write('arrears: no command given\n\n');
      cli.outputHelp({ error: true });
      return EXIT.usage;
    }
    await cli.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      // `arrears keys` without an action: commander printed the keys command's help on stderr.
      if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      process.stderr.write(`${name}: ${error.message.replace(/^error: /, '')} (${name} --help shows the usage)\n`);
      return EXIT.usage;
    }
    return reportFailure(name, error, verbose);
  }
}

async function reportFailure(name: string, error: unknown, verbose: boolean): Promise<number> {
  const [{ InvalidConfigurationError }, { DomainError }] = await Promise.all([import('./config/app-config.js'), import('./kernel/errors/domain-error.js')]);
  if (error instanceof InvalidConfigurationError) {
    process.stderr.write(`${error.message}\n`);
    return EXIT.configuration;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`${name}: ${error.message} (${name} --help shows the usage)\n`);
    return EXIT.usage;
  }
  if (error instanceof DomainError) {
    process.stderr.write(`${error.code}: ${error.message}\n`);
    return EXIT.refused;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${name} failed: ${error.stack}\n`);
  else process.stderr.write(`${name} failed: ${message} (--verbose prints the stack trace)\n`);
  return EXIT.failed;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`arrears failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.failed);
  },
);
