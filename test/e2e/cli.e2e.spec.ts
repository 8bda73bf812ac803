import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestApp } from '../support/test-app.js';
import { disbursementRequest, originationRequest } from '../fixtures/loan-requests.js';
import { testConfig } from '../support/test-config.js';
import { SqliteRunLock } from '../../src/infrastructure/sqlite/sqlite-run-lock.js';

const CLI = resolve('dist/src/cli.js');

/**
 * Loaded with --import before the CLI: makes loading Nest or the app module fail, so a
 * command that must start without them (`--help`, `keys`) proves it does.
 */
const REFUSE_THE_APP = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
   register('data:text/javascript,' + encodeURIComponent("export async function resolve(specifier, context, next) { if (specifier === '@nestjs/core' || specifier.endsWith('app.module.js')) throw new Error('the Nest app was loaded: ' + specifier); return next(specifier, context); }"));`,
)}`;

const COMMANDS = ['cob', 'report', 'report assessment-performance', 'history', 'export', 'verify', 'replay', 'simulate', 'keys', 'keys add', 'keys list', 'keys revoke'];

/** The CLI as an operator runs it (`npm test` builds it first), on the server's store files. */
describe('arrears cob (CLI)', () => {
  let folder: string;
  let env: Record<string, string>;
  const arrears = (...args: string[]) => arrearsIn(env, ...args);
  const arrearsIn = (environment: Record<string, string>, ...args: string[]) => {
    const { NODE_OPTIONS: _jestOnly, SQLITE_EVENTS_PATH: _e, SQLITE_READ_MODELS_PATH: _r, ...inherited } = process.env;
    return spawnSync(process.execPath, [CLI, ...args], { env: { ...inherited, ...environment }, cwd: folder, encoding: 'utf8', timeout: 60_000 });
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-cli-'));
    env = { SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'), SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite') };
    // Loans written by a server, which then stops; the CLI catches up the index it needs.
    const app = await createTestApp(testConfig({ ...env, PROJECTIONS_ENABLED: 'false' }));
    for (const loanId of ['L-1', 'L-2', 'L-3']) {
      await app.inject({ method: 'POST', url: '/loans', payload: originationRequest(loanId) });
      await app.inject({ method: 'POST', url: `/loans/${loanId}/disbursements`, payload: disbursementRequest });
    }
    await app.close();
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('runs close of business for a date with a progress bar, printing the counts as JSON', () => {
    const run = arrears('cob', '--date', '2026-02-18');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      businessDate: '2026-02-18',
      alreadyClosed: false,
      loansVisited: 3,
      eventsAppended: 6,
      instalmentsMissed: 3,
      penaltyAccruals: 3,
      delinquencyThresholds: 0,
      promisesKept: 0,
      promisesBroken: 0,
    });
    expect(run.stderr).toContain('close of business');
    expect(run.stderr).toContain('3/3 loans');
  });

  it('appends nothing for a date already closed, refuses an earlier one, and explains bad usage', () => {
    expect(JSON.parse(arrears('cob', '--date', '2026-02-18').stdout)).toMatchObject({ alreadyClosed: true, eventsAppended: 0 });
    const earlier = arrears('cob', '--date', '2026-02-17');
    expect(earlier.status).toBe(3);
    expect(earlier.stderr).toContain('COB.DATE_BEFORE_LAST_CLOSE');
    const bad = arrears('cob', '--date', '17/02/2026');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--date must be a calendar date YYYY-MM-DD');
    expect(arrears('cob', '--when', 'today').status).toBe(2);
  });

  it('refuses a date after today: a day closed can never be reopened', () => {
    const future = arrears('cob', '--date', '2099-12-31');
    expect(future.status).toBe(3);
    expect(future.stderr).toContain('BUSINESS_DATE.IN_FUTURE');
    expect(future.stderr).toContain("businessDate 2099-12-31 is after today's business date");
    expect(JSON.parse(arrears('cob', '--date', '2026-02-18').stdout)).toMatchObject({ alreadyClosed: true });
  });

  it('refuses close of business while another process on the same files runs it, naming that process', async () => {
    // Stores of its own, so that the date it closes in the end is closed for no other test.
    const own = { SQLITE_EVENTS_PATH: join(folder, 'locked-events.sqlite'), SQLITE_READ_MODELS_PATH: join(folder, 'locked-read-models.sqlite') };
    // The engine's daily close, say, beside an operator's `arrears cob`: one at a time.
    const held = await new SqliteRunLock(own.SQLITE_EVENTS_PATH).whileHolding('close-of-business', 'close of business 2026-02-19', async () =>
      arrearsIn(own, 'cob', '--date', '2026-02-19'),
    );
    const refused = held.ran ? held.result : undefined;
    expect(refused?.status).toBe(3);
    expect(refused?.stderr).toContain(`COB.IN_PROGRESS: Close of business is already running on this store: arrears `);
    expect(refused?.stderr).toContain(`pid ${process.pid}: close of business 2026-02-19`);
    // Nothing was closed: the date is still open, and closes once the lock is free.
    expect(JSON.parse(arrearsIn(own, 'cob', '--date', '2026-02-19').stdout)).toMatchObject({ businessDate: '2026-02-19', alreadyClosed: false });
  });

  it('report assessment-performance prints the report, or writes the same bytes to a file and prints their SHA-256', () => {
    // The three loans were disbursed on 2026-01-15: a one-month window has passed by 2026-02-18, and none fell 30 days behind.
    const printed = arrears('report', 'assessment-performance', '--as-of', '2026-02-18', '--window', '1');
    expect(printed.status).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ report: 'assessment-performance', asOf: '2026-02-18', outcome: 'dpd30', overall: { loans: 3, bad: 0, discrimination: { auc: null } } });
    const out = join(folder, 'assessment.json');
    const written = arrears('report', 'assessment-performance', '--as-of', '2026-02-18', '--window', '1', '--out', out);
    expect(written.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
    expect(JSON.parse(written.stdout)).toMatchObject({ out, sha256: createHash('sha256').update(printed.stdout).digest('hex') });
    expect(arrears('report', 'assessment-performance', '--as-of', '2026-02-18', '--outcome', 'dpd60').status).toBe(2);
    expect(arrears('report', 'assessment-performance', '--as-of', '2026-02-19').status).toBe(3);
  });

  describe('explains itself', () => {
    it.each([[''], ...COMMANDS.map((c) => [c])])('arrears %s --help: the usage and the exit codes, exit 0, without loading the app', (command) => {
      // Not timed (a shared machine makes any bound flaky): the --import guard refusing the Nest app is what keeps --help fast.
      const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
      const run = spawnSync(process.execPath, ['--import', REFUSE_THE_APP, CLI, ...command.split(' ').filter(Boolean), '--help'], {
        env: { ...inherited, ...env },
        cwd: folder,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Usage: arrears${command ? ` ${command}` : ''} `);
      expect(run.stdout).toContain('Exit codes:');
      expect(run.stdout).toContain('3   not found');
    });

    it('the guard in these tests does stop a command that loads the app', () => {
      const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
      const run = spawnSync(process.execPath, ['--import', REFUSE_THE_APP, CLI, 'history', 'L-1'], { env: { ...inherited, ...env }, cwd: folder, encoding: 'utf8', timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('the Nest app was loaded');
    });

    it('keys list starts without the app', () => {
      const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
      const run = spawnSync(process.execPath, ['--import', REFUSE_THE_APP, CLI, 'keys', 'list'], {
        env: { ...inherited, ...env, API_KEYS_FILE: join(folder, 'keys.json') },
        cwd: folder,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    });

    it('exit 2 with one line for bad usage: no command, an unknown command or option, a missing option', () => {
      const none = arrears();
      expect(none.status).toBe(2);
      expect(none.stderr).toContain('arrears: no command given');
      for (const [args, line] of [
        [['nope'], "arrears: unknown command 'nope' (arrears --help shows the usage)"],
        [['cob'], "arrears cob: required option '--date <YYYY-MM-DD>' not specified (arrears cob --help shows the usage)"],
        [['history'], "arrears history: missing required argument 'LOAN_ID' (arrears history --help shows the usage)"],
        [['export', '--bogus'], "arrears export: unknown option '--bogus' (arrears export --help shows the usage)"],
        [['report', '--as-of', '2026-02-18', '--out', 'x.json', '--format', 'xml'], 'arrears report: option \'--format <FORMAT>\' argument \'xml\' is invalid. Allowed choices are json, csv.'],
      ] as const) {
        const run = arrears(...args);
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 2, stderr: expect.stringContaining(line) });
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
      }
    });

    it('report --out into a directory that does not exist fails at once, in one line, before computing anything', () => {
      const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
      const run = spawnSync(process.execPath, ['--import', REFUSE_THE_APP, CLI, 'report', '--as-of', '2026-02-18', '--out', '/nonexistent/dir/x'], {
        env: { ...inherited, ...env },
        cwd: folder,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('arrears report: --out /nonexistent/dir/x: there is no directory /nonexistent/dir to write it in (arrears report --help shows the usage)\n');
    });

    it('history prints amounts as decimals, --json the event log; a loan that does not exist is exit 3 for history and export alike', () => {
      const history = arrears('history', 'L-1');
      expect(history.status).toBe(0);
      expect(history.stdout.split('\n')[0]).toMatch(/^\s+0\s+\S+\s+LoanOriginated .*"principal":"12000\.00"/);
      const json = arrears('history', 'L-1', '--json');
      expect(json.status).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ stream: 'loan-L-1' });
      expect(JSON.parse(json.stdout).events.slice(0, 2)).toMatchObject([{ type: 'LoanOriginated', data: { principal: 1_200_000 } }, { type: 'LoanDisbursed' }]);
      for (const args of [['history', 'NOPE'], ['export', '--loan', 'NOPE']]) {
        const run = arrears(...args);
        expect({ status: run.status, stderr: run.stderr, stdout: run.stdout }).toEqual({ status: 3, stderr: 'LOAN.NOT_FOUND: No loan NOPE\n', stdout: '' });
      }
      const out = join(folder, 'nope.ndjson');
      expect(arrears('export', '--loan', 'NOPE', '--out', out).status).toBe(3);
      expect(existsSync(out)).toBe(false);
    });

    it('an unexpected failure is one line, and --verbose adds the stack trace', () => {
      const broken = { ...env, SQLITE_EVENTS_PATH: folder }; // a directory: SQLite cannot open it
      const run = arrearsIn(broken, 'history', 'L-1');
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 1, stderr: expect.any(String) });
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^arrears history failed: .+ \(--verbose prints the stack trace\)$/m);
      const verbose = arrearsIn(broken, 'history', 'L-1', '--verbose');
      expect(verbose.status).toBe(1);
      expect(verbose.stderr).toMatch(/\n\s+at /);
    });

    it('verify works on an events file alone: hash chains checked, projections rebuilt in a scratch store, nothing created beside it', () => {
      const auditor = mkdtempSync(join(tmpdir(), 'arrears-auditor-'));
      try {
        const events = join(auditor, 'events.sqlite');
        copyFileSync(env['SQLITE_EVENTS_PATH']!, events);
        const run = arrearsIn({ SQLITE_EVENTS_PATH: events, SQLITE_READ_MODELS_PATH: join(auditor, 'read-models.sqlite') }, 'verify');
        expect(run.stderr).not.toContain('no such table');
        expect(run.status).toBe(0);
        const report = JSON.parse(run.stdout);
        expect(report).toMatchObject({ ok: true, comparedWithLive: false, hashChains: { problems: [] } });
        expect(report.projections.find((p: { projection: string }) => p.projection === 'stream-catalogue')).toMatchObject({ rows: expect.any(Number) });
        expect(existsSync(join(auditor, 'read-models.sqlite'))).toBe(false);
        // --events FILE, with no read-models setting at all.
        const given = arrearsIn({}, 'verify', '--events', events);
        expect(given.status).toBe(0);
        expect(JSON.parse(given.stdout)).toMatchObject({ ok: true, comparedWithLive: false });
        expect(existsSync(join(folder, 'data'))).toBe(false);
        const missing = arrearsIn({}, 'verify', '--events', join(auditor, 'nope.sqlite'));
        expect({ status: missing.status, stderr: missing.stderr }).toEqual({ status: 3, stderr: `EVENTS.NOT_FOUND: No events file at ${join(auditor, 'nope.sqlite')}\n` });
      } finally {
        rmSync(auditor, { recursive: true, force: true });
      }
    });

    it('verify says which projections the live read models never built, rather than failing on their missing tables', () => {
      const fresh = mkdtempSync(join(tmpdir(), 'arrears-simulated-'));
      try {
        // `simulate` writes the log and opens the read models, but runs no projection there.
        const stores = { SQLITE_EVENTS_PATH: join(fresh, 'events.sqlite'), SQLITE_READ_MODELS_PATH: join(fresh, 'read-models.sqlite') };
        expect(arrearsIn(stores, 'simulate', '--loans', '2', '--months', '1', '--start', '2026-01-01').status).toBe(0);
        const run = arrearsIn(stores, 'verify');
        expect(run.stderr).not.toContain('no such table');
        expect(run.status).toBe(0);
        expect(run.stderr).toContain('NOT BUILT stream-catalogue: the live read models hold nothing of it yet');
        const report = JSON.parse(run.stdout);
        expect(report.projections.find((p: { projection: string }) => p.projection === 'stream-catalogue')).toEqual({
          projection: 'stream-catalogue',
          position: 0,
          rows: 0,
          differences: [],
          more: 0,
          neverBuiltLive: true,
        });
      } finally {
        rmSync(fresh, { recursive: true, force: true });
      }
    });

    it('simulate refuses stores closed on or after its first day, saying what to do', () => {
      const run = arrears('simulate', '--loans', '1', '--months', '1', '--start', '2026-01-01');
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 3, stderr: expect.any(String) });
      expect(run.stderr).toContain('SIMULATION.STORE_ALREADY_CLOSED: These stores are already closed through 2026-02-18');
      expect(run.stderr).toContain('simulate into empty stores');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(readFileSync(env['SQLITE_EVENTS_PATH']!).length).toBeGreaterThan(0);
    });
  });
});
