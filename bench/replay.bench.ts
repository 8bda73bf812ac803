/**
 * Rebuilding every projection from the first event (issue 8): `arrears replay`'s path —
 * one pass over the log, rows folded in memory, written once into fresh tables and swapped
 * in — next to a raw read + decode of the same log in the same run, as a ratio.
 *
 *   npm run bench:replay                       # about 1,000,000 events
 *   npm run bench:replay -- --loans 5000       # a quick look
 *
 * The log is a loan portfolio written through the loan decider: most loans pay every
 * instalment on its due date; every fifth stops paying after its third and is closed
 * daily for four months (a missed instalment, a penalty accrual a day, 30/60/90-day
 * thresholds). A report, not a test: it exits 0 whether or not the target is met.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EVENT_SCHEMAS } from '../src/infrastructure/event-schemas.js';
import { openSqliteDatabase } from '../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../src/infrastructure/sqlite/sqlite-event-store.js';
import { openSqliteReadModelDb } from '../src/infrastructure/sqlite/sqlite-read-model-db.js';
import { type BusinessDate, addDays, addMonths } from '../src/kernel/dates/business-date.js';
import { START_OF_LOG, type StreamAppend } from '../src/kernel/event-store/event-store.port.js';
import { UpcastingEventStore } from '../src/kernel/event-store/upcasting-event-store.js';
import { LENDING_POLICY_PRESETS } from '../src/loans/domain/lending-policy.js';
import type { LoanCommand } from '../src/loans/domain/loan-commands.js';
import { loanDecider } from '../src/loans/domain/loan-decider.js';
import { type LoanEvent, loanStream } from '../src/loans/domain/loan-events.js';
import { allProjections } from '../src/projections/all-projections.js';
import { replayProjections } from '../src/projections/replay/replay-projections.js';
import { createCheckpointTable } from '../src/projections/runner/checkpoint-table.js';

/** A full rebuild must run at no less than this share of a raw read + decode of the log. */
const TARGET_SHARE = 0.25;
const DEFAULT_LOANS = 27_000;
const STOPS_PAYING_EVERY = 5;
const DAYS_CLOSED_OVERDUE = 120;
const LOANS_PER_TRANSACTION = 500;

const n = (value: number) => Math.round(value).toLocaleString('en');

/** One loan's life as the decider tells it: the events a real engine would have stored. */
function loanEvents(index: number): LoanEvent[] {
  const originatedOn = addDays('2025-01-01', index % 365);
  const disbursedOn = addDays(originatedOn, 2);
  const commands: LoanCommand[] = [
    {
      kind: 'originate',
      loanId: `L${index}`,
      borrowerId: `B${index}`,
      borrowerTimeZone: 'Asia/Shanghai',
      currency: 'CNY',
      principal: `${3_000 + (index % 47) * 1_000}.00`,
      annualInterestRate: '0.18',
      termMonths: 12,
      repaymentMethod: 'equal-installment',
      originatedOn,
      creditAssessment: { score: 700, grade: 'B', source: 'bench', assessedOn: originatedOn },
      riskDisclosure: { version: 'rd-1', acceptedAt: `${originatedOn}T10:00:00+08:00` },
      policy: LENDING_POLICY_PRESETS.default,
    },
    { kind: 'disburse', disbursedOn, reference: `wire-${index}` },
  ];
  const events: LoanEvent[] = [];
  let state = loanDecider.initialState();
  const run = (command: LoanCommand) => {
    const decided = loanDecider.decide(command, state);
    events.push(...decided);
    state = decided.reduce(loanDecider.evolve, state);
  };
  commands.forEach(run);
  const stopsPaying = index % STOPS_PAYING_EVERY === 0;
  for (const instalment of state.instalments) {
    if (stopsPaying && instalment.number > 3) break;
    const due = instalment.principalDue + instalment.interestDue;
    run({ kind: 'receive-payment', paymentId: `P${index}-${instalment.number}`, amount: (due / 100).toFixed(2), receivedOn: instalment.dueOn, channel: 'bank', reference: `r${index}` });
  }
  if (stopsPaying) {
    const firstMissed: BusinessDate = addMonths(disbursedOn, 4);
    for (let day = 1; day <= DAYS_CLOSED_OVERDUE; day++) run({ kind: 'close-business-day', businessDate: addDays(firstMissed, day) });
  }
  return events;
}

async function seed(path: string, loans: number): Promise<number> {
  const store = new SqliteEventStore(openSqliteDatabase(path, 'OFF'));
  try {
    for (let first = 0; first < loans; first += LOANS_PER_TRANSACTION) {
      const appends: StreamAppend[] = [];
      for (let index = first; index < Math.min(loans, first + LOANS_PER_TRANSACTION); index++) {
        const events = loanEvents(index).map((event, i) => ({
          id: `${index}-${i}`,
          type: event.type,
          data: event.data,
          metadata: { actor: 'bench', commandId: `c${index}-${i}`, schemaVersion: EVENT_SCHEMAS.currentVersionOf(event.type) },
        }));
        appends.push({ stream: loanStream(`L${index}`), events, expectedRevision: 'no-stream' });
      }
      await store.appendToStreams(appends);
      if (first % 5_000 === 0) process.stderr.write(`seeding: ${n(first)} / ${n(loans)} loans\n`);
    }
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const startedAt = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - startedAt) / 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { loans: { type: 'string' } } });
  const loans = values.loans === undefined ? DEFAULT_LOANS : Number(values.loans);
  if (!Number.isSafeInteger(loans) || loans < 1) {
    console.error(`--loans must be a whole number of at least 1, not ${values.loans}\nusage: npm run bench:replay [-- --loans N]`);
    process.exitCode = 2;
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'arrears-replay-bench-'));
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const eventsPath = join(scratch, 'events.sqlite');
  const seeded = await timed(() => seed(eventsPath, loans));
  console.log(`Rebuilding every projection from the first event\n  log: ${n(loans)} loans, ${n(seeded.value)} events (seeded in ${seeded.seconds.toFixed(1)} s)`);

  const events = new UpcastingEventStore(new SqliteEventStore(openSqliteDatabase(eventsPath)), EVENT_SCHEMAS);
  const live = openSqliteReadModelDb(join(scratch, 'read-models.sqlite'));
  await createCheckpointTable(live);
  const projections = allProjections();
  try {
    // The baseline: every event read and its data decoded, as a projection pass reads it.
    const rawRead = async () => {
      let decoded = 0;
      for (let page = await events.readAll(START_OF_LOG, 10_000); page.length > 0; page = await events.readAll(page.at(-1)!.position, 10_000)) {
        for (const event of page) if (event.data !== undefined) decoded++;
      }
      return decoded;
    };
    const raw = await timed(rawRead);
    const replay = await timed(() => replayProjections(projections, events, live, join(scratch, 'read-models.sqlite.replay')));
    const rawAgain = await timed(rawRead);
    const rawSeconds = Math.min(raw.seconds, rawAgain.seconds);
    const rawRate = raw.value / rawSeconds;
    const replayRate = replay.value.events / replay.seconds;
    const share = replayRate / rawRate;
    console.log(`  raw read + decode: ${n(rawRate)} events/s (best of two: ${rawSeconds.toFixed(2)} s)`);
    console.log(
      `  replay of ${projections.length} projections (${projections.map((p) => p.name).join(', ')}): ${n(replayRate)} events/s ` +
        `(${replay.seconds.toFixed(2)} s, ${n(replay.value.rows)} rows written and swapped in)`,
    );
    console.log(`\nSUMMARY: full rebuild at ${(share * 100).toFixed(0)}% of raw read + decode: ${share >= TARGET_SHARE ? 'MEETS' : 'MISSES'} the ${TARGET_SHARE * 100}% target.`);
  } finally {
    await live.destroy();
    await events.close();
  }
}

await main();
