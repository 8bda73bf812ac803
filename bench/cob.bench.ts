/**
 * Close of business over a synthetic portfolio (issues 4 and 23): active loans, 10% of them
 * overdue, closed for one business day and then caught up over 30 days, on the real path —
 * CloseOfBusinessService in the Nest application context, the SQLite event store, the read
 * models in SQLite or PostgreSQL, and the projections running in-process as in server mode.
 *
 *   npm run bench:cob                                  # 100,000 loans, synchronous = the app default (FULL)
 *   BENCH_LOANS=1000000 npm run bench:cob              # issue 23's target: one day < 20 s, peak RSS < 2 GB
 *   READ_STORE=postgres BENCH_LOANS=1000000 npm run bench:cob   # read models in PostgreSQL (READ_STORE_URL,
 *                                                      #   else TEST_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_SHORT=1 npm run bench:cob                    # 5,000 loans, scaled estimates, no verdicts (npm run bench)
 *   npm run bench:cob -- --loans 10000 --synchronous NORMAL
 *   BENCH_COB_CPU_PROFILE=/tmp npm run bench:cob       # a CPU profile of each close
 *   BENCH_COB_SEEDED=/var/tmp/cob-1m BENCH_LOANS=1000000 npm run bench:cob   # seed once, keep it there, start
 *                                                      #   later runs from a copy (KeptPortfolio)
 *
 * Each run prints visited loans/s, events/s and the peak RSS of each phase (VmHWM, reset
 * between phases; the projection threads are threads of the engine's process; seeding, the
 * projections' first catch-up and the closes each run in a process of their own) and,
 * with PostgreSQL, the peak of its backends; the verdicts go to BENCH_RESULTS_FILE
 * (bench/support/bench-results.ts). The seeding builds the loans' histories on worker threads
 * (BENCH_SEED_THREADS) and writes them through the SQLite adapter with the pipeline's own
 * prepareAppend. At 100,000 loans the seeding writes 1.2 million events, at 1,000,000 about
 * 12 million (a 14 GB event log): seeding and the projections' first catch-up take most of a
 * run, and on the 2-core reference machine a million-loan run takes hours.
 * A report, not a test: it exits 0 whether or not close of business meets its target.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type Database from 'better-sqlite3';
import { appendFileSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { pino } from 'pino';
import { AppModule } from '../src/app/app.module.js';
import { type CloseOfBusinessResult, CloseOfBusinessService } from '../src/close-of-business/close-of-business.service.js';
import {
  BUSINESS_DAY_STREAM,
  type BusinessDayEvent,
  type BusinessDayState,
  type CloseOfBusinessSummary,
  type RecordBusinessDayClosed,
  businessDayDecider,
} from '../src/close-of-business/domain/business-day.js';
import { type AppConfig, loadConfig } from '../src/config/app-config.js';
import { IN_MEMORY, openSqliteDatabase, type SqliteSynchronous } from '../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../src/kernel/commands/command-context.js';
import { commandHash } from '../src/kernel/commands/command-hash.js';
import { CommandPipeline } from '../src/kernel/commands/command-pipeline.js';
import { prepareAppend } from '../src/kernel/commands/prepare-append.js';
import { snapshotToKeep } from '../src/kernel/commands/snapshot-to-keep.js';
import { EVENT_SCHEMAS } from '../src/app/event-schemas.js';
import { EVENT_HASH, PREVIOUS_EVENT_HASH } from '../src/kernel/event-store/event-hash-chain.js';
import { type BusinessDate, addDays, addMonths } from '../src/kernel/dates/business-date.js';
import type { Decider, DomainEvent } from '../src/kernel/decider.js';
import {
  type AppendOptions,
  EVENT_STORE,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
} from '../src/kernel/event-store/event-store.port.js';
import { formatAmount } from '../src/kernel/money/amount.js';
import { type Projection, READ_MODEL_DB, type ReadModelDb } from '../src/infrastructure/projections/contract/projection.js';
import { LENDING_POLICY_PRESETS } from '../src/policies/lending-policy.js';
import type { DisburseLoan, LoanCommand, OriginateLoan } from '../src/loans/domain/loan-commands.js';
import { loanDecider } from '../src/loans/domain/loan-decider.js';
import { type LoanEvent, type PenaltyAccruedData, loanStream } from '../src/loans/domain/loan-events.js';
import { type LoanState, interestOutstanding, principalOutstanding } from '../src/loans/domain/loan-state.js';
import { DELINQUENCY_BUCKETS, type DelinquencyBucket, bucketOf } from '../src/loans/domain/standing/delinquency-bucket.js';
import { daysPastDue, oldestUnpaidDueOn } from '../src/loans/domain/days-past-due.js';
import type { RepaymentMethod } from '../src/loans/domain/repayment-method.js';
import { ProjectionsService } from '../src/infrastructure/projections/projections.service.js';
import { PROJECTIONS } from '../src/infrastructure/projections/projections.token.js';
import { readCheckpoint } from '../src/infrastructure/projections/runner/checkpoint-table.js';
import { BenchResults, benchShortMode } from './support/bench-results.js';
import { killOnExit } from './support/child-processes.js';
import { type CopyProgress, KEPT_PORTFOLIO_ENV, type KeptManifest, KeptPortfolio } from './support/kept-portfolio.js';
import { type ThreadShare, describeBusyThreads, sharesSince, threadTotals } from './support/process-threads.js';
import { readFileIfThere } from './support/read-file-if-there.js';
import { gib, seconds } from './support/figures.js';
import { secondsSince, timed } from './support/stopwatch.js';

/** Issue 23: one business day over 1,000,000 loans (100,000 of them with work) in under 20 s on SQLite read models (measured on PostgreSQL ones too), peak RSS under 2 GB. */
const TARGET_SECONDS = 20;
const TARGET_LOANS = 1_000_000;
const TARGET_PEAK_RSS_BYTES = 2 * 2 ** 30;
/** Issue 4: one business day over 100,000 loans in under 10 s on the 2-core reference machine. */
const ISSUE_4_SECONDS = 10;
const ISSUE_4_LOANS = 100_000;
/** Without --loans or BENCH_LOANS. */
const DEFAULT_LOANS = 100_000;
/**
 * Under BENCH_SHORT=1 (`npm run bench`): a portfolio small enough to seed, project and close
 * in about three minutes on the shared 2-core machine (10,000 loans took 8 minutes at load
 * average 9-13, most of it seeding); its verdicts are scaled estimates (met: null).
 */
const SHORT_LOANS = 5_000;
/** Every tenth loan is overdue: 10% of the portfolio. */
const OVERDUE_EVERY = 10;
/** The day being closed. Fixed, so that every run closes the same portfolio. */
const BUSINESS_DATE: BusinessDate = '2026-10-15';
const CATCH_UP_DAYS = 30;
/**
 * Every tenth overdue loan (1% of the portfolio) is also closed day by day through the 30 days
 * in the simulation, for the catch-up cross-check; simulating it for all of them would add
 * minutes to the seeding (the decider spends ~0.2 ms per overdue loan and day).
 */
const DAILY_CROSS_CHECK_EVERY = 10;
const CURRENCY = 'CNY';

type Weighted<T> = readonly (readonly [value: T, weight: number])[];

const TERMS_IN_MONTHS: Weighted<number> = [[6, 0.1], [12, 0.6], [24, 0.3]];
const REPAYMENT_METHODS: Weighted<RepaymentMethod> = [['equal-installment', 0.7], ['equal-principal', 0.2], ['interest-only', 0.1]];
/** A delinquent book leans to the early buckets; lenders write loans off before 180 days past due. */
const OVERDUE_DAYS_PAST_DUE: Weighted<readonly [min: number, max: number]> = [
  [[1, 30], 0.45],
  [[31, 60], 0.2],
  [[61, 90], 0.12],
  [[91, 180], 0.23],
];

/** Who sends the servicing commands (origination, disbursement, payments) of the seeded history. */
const SERVICING_ACTOR = 'servicing-system';
/** The actor the daily scheduler runs close of business as (daily-close-of-business.scheduler.ts). */
const DAILY_COB_ACTOR = 'system:daily-close-of-business';
/** Loans whose history is built (on a seeding thread) and written (here) together; bounds the memory the seeding holds. */
const SEED_BLOCK_LOANS = 2_000;
/**
 * Threads that build the loans' histories (the decider deciding a year of daily closes is
 * most of the seeding's work) while this one writes them: blocks are written in order, so the
 * log is the same whatever the number. BENCH_SEED_THREADS overrides it.
 */
const SEED_THREADS = Math.max(1, Number(process.env.BENCH_SEED_THREADS ?? Math.min(availableParallelism(), 4)));
/** As --max-semi-space-size=64 does for the main thread (a young generation of three semi-spaces): a thread cannot take that flag. */
const SEED_THREAD_YOUNG_GENERATION_MB = 192;
/** Commands appended per transaction when the payments after the business date are written. */
const PAYMENTS_PER_TRANSACTION = 20_000;
/**
 * Page cache of the seeding connection only (the app keeps SQLite's default): event ids are
 * UUIDv5, so every insert touches a random page of the event-id index (DESIGN.md §6), and
 * a bulk load of over a million rows crawls when those pages keep leaving the cache.
 */
const SEED_CACHE_KIB = 512 * 1024;
const PROJECTION_CATCH_UP_TIMEOUT_MS = 30 * 60_000;

const SILENT_LOGGER = pino({ level: 'silent' });

// ---------------------------------------------------------------------------------------------
// The portfolio, planned deterministically: the same loans on every run.
// ---------------------------------------------------------------------------------------------

interface LoanPlan {
  readonly index: number;
  readonly loanId: string;
  readonly originate: OriginateLoan;
  readonly disburse: DisburseLoan;
  /** The borrower pays instalments 1 … n, each on its due date, and nothing after them. */
  readonly instalmentsPaid: number;
  /** Days past due planned for the business date; undefined for a loan that is current. */
  readonly plannedDaysPastDue: number | undefined;
}

/** mulberry32: a small seeded generator, so that loan i is the same loan on every run. */
function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: () => number, choices: Weighted<T>): T {
  let r = random();
  for (const [value, weight] of choices) if ((r -= weight) < 0) return value;
  return choices.at(-1)![0];
}

function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * A current loan was disbursed 1–350 days ago (less than its term, so it is still active)
 * and has paid every instalment on its due date. An overdue loan paid its first few
 * instalments on time and nothing since: its first unpaid instalment fell due `dpd` days
 * before the business date.
 */
function planLoan(index: number): LoanPlan {
  const random = seededRandom(index + 1);
  const loanId = `L${String(index + 1).padStart(6, '0')}`;
  const termMonths = pick(random, TERMS_IN_MONTHS);
  const repaymentMethod = pick(random, REPAYMENT_METHODS);
  const overdue = index % OVERDUE_EVERY === OVERDUE_EVERY - 1;

  let disbursedOn: BusinessDate;
  let instalmentsPaid: number;
  let plannedDaysPastDue: number | undefined;
  if (overdue) {
    const [min, max] = pick(random, OVERDUE_DAYS_PAST_DUE);
    plannedDaysPastDue = between(random, min, max);
    instalmentsPaid = between(random, 0, Math.min(5, termMonths - 2));
    const firstUnpaidDueOn = addDays(BUSINESS_DATE, -plannedDaysPastDue);
    disbursedOn = addMonths(firstUnpaidDueOn, -(instalmentsPaid + 1));
  } else {
    instalmentsPaid = termMonths;
    disbursedOn = addDays(BUSINESS_DATE, -between(random, 1, Math.min(termMonths, 12) * 30 - 10));
  }
  const originatedOn = addDays(disbursedOn, -between(random, 0, 4));
  const assessedOn = addDays(originatedOn, -1);
  const originate: OriginateLoan = {
    kind: 'originate',
    loanId,
    borrowerId: `B${String(index + 1).padStart(6, '0')}`,
    borrowerTimeZone: 'Asia/Shanghai',
    currency: CURRENCY,
    principal: `${between(random, 30, 500) * 100}.00`,
    annualInterestRate: `0.${String(between(random, 6, 24)).padStart(2, '0')}`,
    termMonths,
    repaymentMethod,
    originatedOn,
    creditAssessment: { score: between(random, 580, 820), grade: pick(random, [['A', 0.3], ['B', 0.5], ['C', 0.2]]), source: 'scorecard-v3', assessedOn },
    riskDisclosure: { version: 'rd-2025-09', acceptedAt: `${assessedOn}T20:15:00+08:00` },
    policy: LENDING_POLICY_PRESETS.default,
  };
  const disburse: DisburseLoan = { kind: 'disburse', disbursedOn, reference: `wire-${loanId}` };
  return { index, loanId, originate, disburse, instalmentsPaid, plannedDaysPastDue };
}

/** Every business date from `first` to `last`, with constant-time lookups of a date's index. */
class Calendar {
  readonly days: BusinessDate[] = [];
  private readonly indexes = new Map<BusinessDate, number>();

  constructor(first: BusinessDate, last: BusinessDate) {
    for (let day = first; day <= last; day = addDays(day, 1)) {
      this.indexes.set(day, this.days.length);
      this.days.push(day);
    }
  }

  indexOf(day: BusinessDate): number {
    const index = this.indexes.get(day);
    if (index === undefined) throw new RangeError(`${day} is outside the calendar ${this.days[0]} … ${this.days.at(-1)}`);
    return index;
  }

  /** The days from `first` to `last`, both included. */
  range(first: BusinessDate, last: BusinessDate): BusinessDate[] {
    return this.days.slice(this.indexOf(first), this.indexOf(last) + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// History: what the engine would hold had it served these loans and closed every day.
// ---------------------------------------------------------------------------------------------

/** One command as the command pipeline would have handled it, and the append it made. */
interface RecordedCommand<TCommand> {
  readonly on: BusinessDate;
  readonly stream: string;
  readonly command: TCommand;
  readonly context: CommandContext;
  readonly expectedRevision: ExpectedRevision;
  /** What the pipeline appends: empty when the decider decided nothing. */
  readonly events: readonly EventToAppend[];
  /**
   * The snapshot the pipeline keeps with this append, if it was due. Only a stream's newest
   * snapshot of its history is kept here: each replaces the one before, in the store too.
   */
  snapshot: AppendOptions['snapshot'];
}

/**
 * CommandPipeline's decide-and-stamp step (the same decider, and the pipeline's own
 * prepareAppend and snapshotToKeep: the same event ids, metadata and snapshots) with the
 * stream's state kept in memory. Running every command of a year of
 * daily closes through the pipeline would take the seeding hours. `assertPipelineAgrees`
 * replays sample streams through the real pipeline and compares every event and snapshot.
 */
class ReplicaStream<TCommand, TEvent extends DomainEvent, TState> {
  state: TState;
  readonly recorded: RecordedCommand<TCommand>[] = [];
  private revision = -1;
  private snapshotRevision = -1;
  private lastSnapshotAt: RecordedCommand<TCommand> | undefined;

  constructor(
    readonly decider: Decider<TCommand, TEvent, TState>,
    readonly stream: string,
    /** Which commands are written to the log: snapshots are kept only with those (see BulkAppender). */
    private readonly written: WrittenCommands<TCommand> = { includes: () => true },
  ) {
    this.state = decider.initialState();
  }

  get length(): number {
    return this.revision + 1;
  }

  /** What loading the stream reads besides its snapshot. */
  get eventsPastSnapshot(): number {
    return this.revision - this.snapshotRevision;
  }

  run(on: BusinessDate, command: TCommand, context: CommandContext): readonly TEvent[] {
    const decided = this.decider.decide(command, this.state);
    // Hashing only where there is something to stamp: most daily closes decide nothing.
    const events = decided.length === 0 ? [] : prepareAppend(decided, { stream: this.stream, context, commandHash: commandHash(command), schemas: EVENT_SCHEMAS });
    const expectedRevision: ExpectedRevision = this.revision < 0 ? 'no-stream' : this.revision;
    this.state = decided.reduce(this.decider.evolve, this.state);
    this.revision += decided.length;
    const recorded: RecordedCommand<TCommand> = { on, stream: this.stream, command, context, expectedRevision, events, snapshot: undefined };
    const snapshot = this.written.includes(on, command) ? snapshotToKeep(this.decider.snapshotting, this.state, this.revision, this.snapshotRevision) : undefined;
    if (snapshot) {
      recorded.snapshot = snapshot;
      if (this.lastSnapshotAt) this.lastSnapshotAt.snapshot = undefined;
      this.lastSnapshotAt = recorded;
      this.snapshotRevision = this.revision;
    }
    this.recorded.push(recorded);
    return decided;
  }
}

interface WrittenCommands<TCommand> {
  includes(on: BusinessDate, command: TCommand): boolean;
}

type LoanReplica = ReplicaStream<LoanCommand, LoanEvent, LoanState>;
type BusinessDayReplica = ReplicaStream<RecordBusinessDayClosed, BusinessDayEvent, BusinessDayState>;

/** What close of business did, or would do, to the loans on one day. */
interface DayTally {
  loansVisited: number;
  eventsAppended: number;
  instalmentsMissed: number;
  penaltyAccruals: number;
  delinquencyThresholds: number;
  penaltyPosted: number;
  /** Events in the visited loans' streams before the visit. */
  historyEvents: number;
  /** Of those, the events past each loan's snapshot: what COB reads and folds besides it. */
  eventsPastSnapshots: number;
}

/** The daily closes of the simulated history, and of the 30 days after the business date. */
class DailyTallies {
  private readonly days = new Map<BusinessDate, DayTally>();

  recordVisit(day: BusinessDate, historyLength: number, eventsPastSnapshot: number, events: readonly LoanEvent[]): void {
    const tally = this.of(day);
    tally.loansVisited++;
    tally.historyEvents += historyLength;
    tally.eventsPastSnapshots += eventsPastSnapshot;
    tally.eventsAppended += events.length;
    for (const event of events) {
      if (event.type === 'InstalmentMissed') tally.instalmentsMissed++;
      if (event.type === 'DelinquencyThresholdReached') tally.delinquencyThresholds++;
      if (event.type === 'PenaltyAccrued') {
        tally.penaltyAccruals++;
        tally.penaltyPosted += event.data.amount;
      }
    }
  }

  of(day: BusinessDate): DayTally {
    let tally = this.days.get(day);
    if (!tally) {
      tally = { loansVisited: 0, eventsAppended: 0, instalmentsMissed: 0, penaltyAccruals: 0, delinquencyThresholds: 0, penaltyPosted: 0, historyEvents: 0, eventsPastSnapshots: 0 };
      this.days.set(day, tally);
    }
    return tally;
  }

  /**
   * The summary as CloseOfBusinessService records it, keys in its order. No borrower in this
   * portfolio has promised to pay, so no promise is kept or broken.
   */
  summaryOf(day: BusinessDate): CloseOfBusinessSummary {
    const { loansVisited, eventsAppended, instalmentsMissed, penaltyAccruals, delinquencyThresholds } = this.of(day);
    return { loansVisited, eventsAppended, instalmentsMissed, penaltyAccruals, delinquencyThresholds, promisesKept: 0, promisesBroken: 0 };
  }

  total(days: readonly BusinessDate[], field: keyof DayTally): number {
    return days.reduce((sum, day) => sum + this.of(day)[field], 0);
  }

  /** For sending from a seeding thread. */
  entries(): [BusinessDate, DayTally][] {
    return [...this.days];
  }

  /** Adds what a seeding thread tallied. */
  add(entries: readonly (readonly [BusinessDate, DayTally])[]): void {
    for (const [day, other] of entries) {
      const tally = this.of(day);
      for (const field of Object.keys(other) as (keyof DayTally)[]) tally[field] += other[field];
    }
  }
}

/** The portfolio on the business date (before its close), and what the catch-up will find. */
class Census {
  activeOnBusinessDate = 0;
  readonly buckets = new Map<DelinquencyBucket, number>(DELINQUENCY_BUCKETS.map((bucket) => [bucket, 0]));
  /** Loans the COB work index lists for the last day of the catch-up: the loans it visits. */
  withWorkOnLastDay = 0;

  onBusinessDate(state: LoanState): void {
    if (state.status !== 'active') return;
    this.activeOnBusinessDate++;
    const bucket = bucketOf(daysPastDue(state.instalments, BUSINESS_DATE));
    this.buckets.set(bucket, this.buckets.get(bucket)! + 1);
  }

  onLastDay(state: LoanState, lastDay: BusinessDate): void {
    const oldestUnpaid = oldestUnpaidDueOn(state.instalments);
    if (state.status === 'active' && oldestUnpaid !== undefined && oldestUnpaid <= lastDay) this.withWorkOnLastDay++;
  }

  toJSON(): CensusCounts {
    return { activeOnBusinessDate: this.activeOnBusinessDate, buckets: [...this.buckets], withWorkOnLastDay: this.withWorkOnLastDay };
  }

  add(other: CensusCounts): void {
    this.activeOnBusinessDate += other.activeOnBusinessDate;
    this.withWorkOnLastDay += other.withWorkOnLastDay;
    for (const [bucket, count] of other.buckets) this.buckets.set(bucket, this.buckets.get(bucket)! + count);
  }
}

interface CensusCounts {
  readonly activeOnBusinessDate: number;
  readonly buckets: [DelinquencyBucket, number][];
  readonly withWorkOnLastDay: number;
}

/** Where a loan's simulated daily closes are tallied. */
interface Tallies {
  /** Closes up to and including the business date. */
  readonly history: DailyTallies;
  /** Closes after it, of the loans closed daily for the cross-check; none when undefined. */
  readonly afterBusinessDate?: DailyTallies;
}

function servicingContext(commandId: string): CommandContext {
  return { commandId, correlationId: commandId, causationId: commandId, actor: SERVICING_ACTOR };
}

/** The context CloseOfBusinessService gives each command (close-of-business.service.ts). */
function closeOfBusinessContext(commandId: string, day: BusinessDate): CommandContext {
  return { commandId, correlationId: `cob:${day}`, causationId: `cob:${day}`, actor: DAILY_COB_ACTOR };
}

/**
 * A loan's life through the last day of the calendar: originated, disbursed, then day by day
 * the borrower pays what falls due (when the plan says so), and close of business runs on
 * it whenever the COB work index would list it (active, oldest unpaid due date on or before
 * the day) — a payment made on a due date comes before that night's close. After the
 * business date, closes run only where `tallies.afterBusinessDate` is given.
 */
function liveLoan(plan: LoanPlan, calendar: Calendar, tallies: Tallies, census?: Census): LoanReplica {
  const loan: LoanReplica = new ReplicaStream(loanDecider, loanStream(plan.loanId), { includes: isHistoryOnBusinessDate });
  loan.run(plan.originate.originatedOn, plan.originate, servicingContext(`originate:${plan.loanId}`));
  loan.run(plan.disburse.disbursedOn, plan.disburse, servicingContext(`disburse:${plan.loanId}`));

  let nextToPay = 0;
  let oldestUnpaid = oldestUnpaidDueOn(loan.state.instalments);
  for (let d = calendar.indexOf(plan.disburse.disbursedOn) + 1; d < calendar.days.length; d++) {
    const day = calendar.days[d]!;
    const due = loan.state.instalments[nextToPay];
    if (due?.dueOn === day && due.number <= plan.instalmentsPaid && loan.state.status === 'active') {
      const paymentId = `P-${plan.loanId}-${due.number}`;
      const amount = formatAmount(principalOutstanding(due) + interestOutstanding(due), CURRENCY);
      const command: LoanCommand = { kind: 'receive-payment', paymentId, amount, receivedOn: day, channel: 'bank-transfer', reference: `ref-${paymentId}` };
      loan.run(day, command, servicingContext(`payment:${paymentId}`));
      nextToPay++;
      oldestUnpaid = oldestUnpaidDueOn(loan.state.instalments);
    }
    if (day === BUSINESS_DATE) census?.onBusinessDate(loan.state);
    const tally = day <= BUSINESS_DATE ? tallies.history : tallies.afterBusinessDate;
    if (tally && loan.state.status === 'active' && oldestUnpaid !== undefined && oldestUnpaid <= day) {
      const [historyLength, eventsPastSnapshot] = [loan.length, loan.eventsPastSnapshot];
      const events = loan.run(day, { kind: 'close-business-day', businessDate: day }, closeOfBusinessContext(`cob:${day}:${plan.loanId}`, day));
      tally.recordVisit(day, historyLength, eventsPastSnapshot, events);
      if (events.length > 0) oldestUnpaid = oldestUnpaidDueOn(loan.state.instalments);
    }
  }
  census?.onLastDay(loan.state, calendar.days.at(-1)!);
  return loan;
}

function isClosedDailyForCrossCheck(plan: LoanPlan): boolean {
  return plan.plannedDaysPastDue !== undefined && Math.floor(plan.index / OVERDUE_EVERY) % DAILY_CROSS_CHECK_EVERY === 0;
}

/** The close-of-business stream: one BusinessDayClosed per day, each with that day's summary. */
function closeBusinessDays(days: readonly BusinessDate[], tallies: DailyTallies): BusinessDayReplica {
  const replica: BusinessDayReplica = new ReplicaStream(businessDayDecider, BUSINESS_DAY_STREAM);
  for (const day of days) {
    const { name, costCapAnnualRate } = LENDING_POLICY_PRESETS.default;
    replica.run(day, { businessDate: day, summary: tallies.summaryOf(day), lendingPolicy: { name, costCapAnnualRate } }, closeOfBusinessContext(`cob:${day}`, day));
  }
  return replica;
}

/**
 * Replays each replica's commands through the real CommandPipeline (on an in-memory SQLite
 * event store) and requires the very same events: ids, types, data and metadata.
 */
async function assertPipelineAgrees(replicas: readonly ReplicaStream<unknown, DomainEvent, unknown>[]): Promise<number> {
  const store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY, 'OFF'));
  const pipeline = new CommandPipeline(store, { maxAttempts: 1, schemas: EVENT_SCHEMAS });
  let compared = 0;
  try {
    for (const replica of replicas) {
      for (const { command, context, snapshot } of replica.recorded) {
        await pipeline.run(replica.decider, replica.stream, command, context);
        if (snapshot) {
          const kept = await store.readSnapshot(replica.stream, snapshot.schema);
          if (!isDeepStrictEqual(kept?.state, JSON.parse(JSON.stringify(snapshot.state)))) {
            throw new Error(`${replica.stream}: the replica's snapshot differs from the pipeline's`);
          }
        }
      }
      const stored = await store.readStream(replica.stream);
      const replayed = replica.recorded.flatMap((recorded) => recorded.events);
      if (stored.length !== replayed.length) {
        throw new Error(`${replica.stream}: the pipeline appended ${stored.length} events, the replica ${replayed.length}`);
      }
      stored.forEach((event, index) => {
        const expected = replayed[index]!;
        const same =
          event.id === expected.id &&
          event.type === expected.type &&
          JSON.stringify(event.data) === JSON.stringify(expected.data) &&
          // The store adds the hash chain to what the pipeline wrote.
          JSON.stringify(withoutHashChain(event.metadata)) === JSON.stringify(expected.metadata);
        if (!same) throw new Error(`${replica.stream} revision ${index}: the replica's ${expected.type} differs from the pipeline's ${event.type}`);
      });
      compared += stored.length;
    }
  } finally {
    await store.close();
  }
  return compared;
}

function withoutHashChain(metadata: Record<string, unknown>): Record<string, unknown> {
  const { [EVENT_HASH]: _hash, [PREVIOUS_EVENT_HASH]: _previous, ...written } = metadata;
  return written;
}

/**
 * What the portfolio's plans say before any is built, without keeping a million of them: the
 * first day of the calendar, and the loans the replica check replays (overdue loans across
 * the range of days past due, and a current loan of each repayment method).
 */
function surveyPlans(loans: number): { firstDay: BusinessDate; samples: LoanPlan[] } {
  let firstDay = BUSINESS_DATE;
  const overdue: { index: number; daysPastDue: number }[] = [];
  const current = new Map<RepaymentMethod, number>();
  for (let index = 0; index < loans; index++) {
    const plan = planLoan(index);
    if (plan.originate.originatedOn < firstDay) firstDay = plan.originate.originatedOn;
    if (plan.plannedDaysPastDue !== undefined) overdue.push({ index, daysPastDue: plan.plannedDaysPastDue });
    else if (!current.has(plan.originate.repaymentMethod)) current.set(plan.originate.repaymentMethod, index);
  }
  overdue.sort((a, b) => a.daysPastDue - b.daysPastDue);
  const spread = [0, 0.25, 0.5, 0.75, 1].map((quantile) => overdue[Math.round(quantile * (overdue.length - 1))]!.index);
  const currentByMethod = REPAYMENT_METHODS.flatMap(([method]) => current.get(method) ?? []);
  // Each loan once: in a small portfolio the quantiles fall on the same loans, and a loan
  // replayed twice through one pipeline only repeats its commands the second time.
  return { firstDay, samples: [...new Set([...spread, ...currentByMethod])].map(planLoan) };
}

// ---------------------------------------------------------------------------------------------
// Writing the history into the event store file.
// ---------------------------------------------------------------------------------------------

/** One append as the pipeline made it: what the seeding threads send and the appender writes. */
interface SeedAppend {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
  readonly snapshot: AppendOptions['snapshot'];
}

function toSeedAppend({ stream, events, expectedRevision, snapshot }: RecordedCommand<unknown>): SeedAppend {
  return { stream, events, expectedRevision, snapshot };
}

/** The SQLite adapter on a connection of its own, without disk syncs: the file is scratch. */
class BulkAppender {
  private readonly db: Database.Database;
  private readonly store: SqliteEventStore;
  events = 0;

  constructor(path: string) {
    this.db = openSqliteDatabase(path, 'OFF');
    this.db.pragma(`cache_size = -${SEED_CACHE_KIB}`);
    this.store = new SqliteEventStore(this.db);
  }

  /**
   * Appends in the order given, one adapter append per command as the pipeline made it, all
   * in one transaction (each append is a savepoint inside it). A wrong expected revision
   * means the history and the log disagree: it fails the run.
   */
  async append(commands: readonly SeedAppend[]): Promise<void> {
    this.db.exec('BEGIN');
    try {
      for (const { stream, events, expectedRevision, snapshot } of commands) {
        if (events.length === 0 && !snapshot) continue;
        await this.store.appendToStream(stream, events, expectedRevision, { snapshot });
        this.events += events.length;
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Appends what a PaymentSpill holds, in its order, PAYMENTS_PER_TRANSACTION commands per transaction. */
  async appendSpilled(spill: SpilledPayments): Promise<number> {
    let batch: SeedAppend[] = [];
    let commands = 0;
    for await (const line of createInterface({ input: createReadStream(spill.path), crlfDelay: Infinity })) {
      if (line === '') continue;
      batch.push(JSON.parse(line) as SeedAppend);
      if (batch.length === PAYMENTS_PER_TRANSACTION) {
        await this.append(batch);
        commands += batch.length;
        batch = [];
      }
    }
    await this.append(batch);
    return commands + batch.length;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/**
 * The payments received in the 30 days after the business date, appended just before the
 * catch-up: kept in a scratch file (one JSON append a line, in the order made) rather than in
 * memory, where at a million loans they would take gigabytes.
 */
class PaymentSpill implements SpilledPayments {
  commands = 0;

  constructor(readonly path: string) {
    writeFileSync(path, '');
  }

  add(lines: string, commands: number): void {
    if (commands === 0) return;
    appendFileSync(this.path, lines);
    this.commands += commands;
  }
}

interface SpilledPayments {
  readonly path: string;
  readonly commands: number;
}

/** In business-date order; the sort is stable, so each stream keeps its own order. */
function chronological<T extends { readonly on: BusinessDate }>(commands: T[]): T[] {
  return commands.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

interface SeededPortfolio {
  /** The simulated daily closes up to and including the business date, over every loan. */
  readonly tallies: DailyTallies;
  /** The simulated daily closes after it, over the loans closed daily for the cross-check. */
  readonly crossCheckTallies: DailyTallies;
  readonly crossCheckStreams: ReadonlySet<string>;
  readonly census: Census;
  /** Payments received in the 30 days after the business date: appended before the catch-up. */
  readonly paymentsAfterBusinessDate: SpilledPayments;
  readonly events: number;
  readonly streams: number;
  readonly daysClosed: number;
  readonly seconds: number;
  readonly threads: number;
}

/** A block of loans as a seeding thread built it. */
interface SeedBlock {
  readonly first: number;
  /** JSON of SeedAppend[]: the block's history in business-date order (a string crosses threads in one copy). */
  readonly history: string;
  /** One JSON SeedAppend a line: the block's payments after the business date. */
  readonly payments: string;
  readonly paymentCommands: number;
  readonly tallies: [BusinessDate, DayTally][];
  readonly crossCheckTallies: [BusinessDate, DayTally][];
  readonly crossCheckStreams: string[];
  readonly census: CensusCounts;
}

interface SeedThreadData {
  readonly cobSeedThread: true;
  readonly firstDay: BusinessDate;
  readonly lastDay: BusinessDate;
}

/**
 * Builds blocks of loans: each loan's life through the last day of the calendar (liveLoan),
 * of which the block's history up to the business date, in business-date order so that a
 * loan's events lie scattered through the log among other loans' as in a live engine, rather
 * than side by side (which would flatter the stream reads COB makes).
 */
function buildSeedBlock(first: number, count: number, calendar: Calendar): SeedBlock {
  const tallies = new DailyTallies();
  const crossCheckTallies = new DailyTallies();
  const crossCheckStreams: string[] = [];
  const census = new Census();
  const history: RecordedCommand<LoanCommand>[] = [];
  const payments: string[] = [];
  for (let index = first; index < first + count; index++) {
    const plan = planLoan(index);
    const closedDaily = isClosedDailyForCrossCheck(plan);
    if (closedDaily) crossCheckStreams.push(loanStream(plan.loanId));
    const loan = liveLoan(plan, calendar, { history: tallies, afterBusinessDate: closedDaily ? crossCheckTallies : undefined }, census);
    for (const recorded of loan.recorded) {
      if (isHistoryOnBusinessDate(recorded.on, recorded.command)) history.push(recorded);
      else if (recorded.command.kind === 'receive-payment') payments.push(`${JSON.stringify(toSeedAppend(recorded))}\n`);
      // The closes from the business date on are the runs being measured: only tallied.
    }
  }
  const appends = chronological(history).flatMap((recorded) => (recorded.events.length === 0 && !recorded.snapshot ? [] : [toSeedAppend(recorded)]));
  return {
    first,
    history: JSON.stringify(appends),
    payments: payments.join(''),
    paymentCommands: payments.length,
    tallies: tallies.entries(),
    crossCheckTallies: crossCheckTallies.entries(),
    crossCheckStreams,
    census: census.toJSON(),
  };
}

/** A seeding thread: answers each { first, count } with the SeedBlock of those loans. */
function runSeedThread({ firstDay, lastDay }: SeedThreadData): void {
  const calendar = new Calendar(firstDay, lastDay);
  parentPort!.on('message', ({ first, count }: { first: number; count: number }) => {
    parentPort!.postMessage(buildSeedBlock(first, count, calendar));
  });
}

/**
 * Writes the history up to the business date: every loan's servicing commands, the daily
 * closes of business through the day before, and the payments of the business date itself.
 * Seeding threads build the blocks of loans; this thread writes them in block order (so the
 * log does not depend on the number of threads) while they build the next ones. The
 * close-of-business stream comes last: each day's summary counts every loan.
 */
async function seedPortfolio(path: string, loans: number, calendar: Calendar, spillPath: string, progress: Progress): Promise<SeededPortfolio> {
  const startedAt = performance.now();
  const tallies = new DailyTallies();
  const crossCheckTallies = new DailyTallies();
  const crossCheckStreams = new Set<string>();
  const census = new Census();
  const paymentsAfterBusinessDate = new PaymentSpill(spillPath);
  const appender = new BulkAppender(path);
  const blocks = Math.ceil(loans / SEED_BLOCK_LOANS);
  const threads = Math.min(SEED_THREADS, blocks);
  const data: SeedThreadData = { cobSeedThread: true, firstDay: calendar.days[0]!, lastDay: calendar.days.at(-1)! };
  const workers = Array.from({ length: threads }, () => new Worker(fileURLToPath(import.meta.url), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: SEED_THREAD_YOUNG_GENERATION_MB } }));
  try {
    const built = new Map<number, SeedBlock>();
    let wake: (() => void) | undefined;
    let failure: Error | undefined;
    let nextToAsk = 0;
    const waiting: Worker[] = [];
    const ask = (worker: Worker) => {
      if (nextToAsk >= blocks) return;
      const first = nextToAsk++ * SEED_BLOCK_LOANS;
      worker.postMessage({ first, count: Math.min(SEED_BLOCK_LOANS, loans - first) });
    };
    for (const worker of workers) {
      worker.on('message', (block: SeedBlock) => {
        built.set(block.first / SEED_BLOCK_LOANS, block);
        // At most two blocks waiting per thread: the writer sets the pace, and memory stays bounded.
        if (built.size < 2 * threads) ask(worker);
        else waiting.push(worker);
        wake?.();
      });
      worker.on('error', (error) => {
        failure = error;
        wake?.();
      });
      ask(worker);
      ask(worker);
    }
    for (let block = 0; block < blocks; block++) {
      while (!built.has(block)) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const seed = built.get(block)!;
      built.delete(block);
      while (waiting.length > 0 && built.size < 2 * threads) ask(waiting.shift()!);
      tallies.add(seed.tallies);
      crossCheckTallies.add(seed.crossCheckTallies);
      for (const stream of seed.crossCheckStreams) crossCheckStreams.add(stream);
      census.add(seed.census);
      paymentsAfterBusinessDate.add(seed.payments, seed.paymentCommands);
      await appender.append(JSON.parse(seed.history) as SeedAppend[]);
      const done = Math.min((block + 1) * SEED_BLOCK_LOANS, loans);
      progress.update(() => `${n(done)} / ${n(loans)} loans, ${n(appender.events)} events${eta(startedAt, done / loans)}`);
    }
    const daysClosed = calendar.range(calendar.days[0]!, addDays(BUSINESS_DATE, -1));
    const businessDays = closeBusinessDays(daysClosed, tallies);
    await assertPipelineAgrees([businessDays]);
    await appender.append(businessDays.recorded.map(toSeedAppend));
    progress.end();
    return {
      tallies,
      crossCheckTallies,
      crossCheckStreams,
      census,
      paymentsAfterBusinessDate,
      events: appender.events,
      streams: loans + 1,
      daysClosed: daysClosed.length,
      seconds: secondsSince(startedAt),
      threads,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    await appender.close();
  }
}

/**
 * The seeding runs in a child process of its own (this script again, told so by
 * SEED_CHILD_ENV), so that the engine's process starts clean: memory the seeding's threads
 * held is not still counted in the engine's resident set. Each process's peak is reported.
 */
const SEED_CHILD_ENV = 'ARREARS_COB_BENCH_SEED';

interface SeedRequest {
  readonly path: string;
  readonly loans: number;
  readonly firstDay: BusinessDate;
  readonly lastDay: BusinessDate;
  readonly spillPath: string;
  readonly resultPath: string;
}

interface SeedResult {
  readonly tallies: [BusinessDate, DayTally][];
  readonly crossCheckTallies: [BusinessDate, DayTally][];
  readonly crossCheckStreams: string[];
  readonly census: CensusCounts;
  readonly paymentCommands: number;
  readonly events: number;
  readonly streams: number;
  readonly daysClosed: number;
  readonly seconds: number;
  readonly threads: number;
  /** The seeding process's peak RSS, its threads included. */
  readonly peakRss: number;
}

async function runSeedChild(request: SeedRequest): Promise<void> {
  const calendar = new Calendar(request.firstDay, request.lastDay);
  const seeded = await seedPortfolio(request.path, request.loans, calendar, request.spillPath, new Progress('seeding'));
  const result: SeedResult = {
    tallies: seeded.tallies.entries(),
    crossCheckTallies: seeded.crossCheckTallies.entries(),
    crossCheckStreams: [...seeded.crossCheckStreams],
    census: seeded.census.toJSON(),
    paymentCommands: seeded.paymentsAfterBusinessDate.commands,
    events: seeded.events,
    streams: seeded.streams,
    daysClosed: seeded.daysClosed,
    seconds: seeded.seconds,
    threads: seeded.threads,
    peakRss: new PeakMemory().bytes(),
  };
  writeFileSync(request.resultPath, JSON.stringify(result));
}

/**
 * Runs this script again in a process of its own, told by `envName` what to do; the child
 * writes its result as JSON to `resultPath`, which is returned once it exits.
 */
async function inChildProcess<T>(what: string, envName: string, request: { readonly resultPath: string }): Promise<T> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, [envName]: JSON.stringify(request) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  killOnExit(child);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`the ${what} process ended with ${signal ?? `exit code ${code}`}`);
  return JSON.parse(readFileSync(request.resultPath, 'utf8')) as T;
}

async function seedInChildProcess(request: SeedRequest): Promise<{ seeded: SeededPortfolio; peakRss: number }> {
  return seededFrom(await inChildProcess<SeedResult>('seeding', SEED_CHILD_ENV, request), request.spillPath);
}

/** The portfolio a seeding process wrote (its result, and the payments it spilled to `spillPath`). */
function seededFrom(result: SeedResult, spillPath: string): { seeded: SeededPortfolio; peakRss: number } {
  const tallies = new DailyTallies();
  tallies.add(result.tallies);
  const crossCheckTallies = new DailyTallies();
  crossCheckTallies.add(result.crossCheckTallies);
  const census = new Census();
  census.add(result.census);
  return {
    seeded: {
      tallies,
      crossCheckTallies,
      crossCheckStreams: new Set(result.crossCheckStreams),
      census,
      paymentsAfterBusinessDate: { path: spillPath, commands: result.paymentCommands },
      events: result.events,
      streams: result.streams,
      daysClosed: result.daysClosed,
      seconds: result.seconds,
      threads: result.threads,
    },
    peakRss: result.peakRss,
  };
}

/** Whether a command belongs to the history written before the runs (not to what they, or the 30 days after, do). */
function isHistoryOnBusinessDate(on: BusinessDate, command: LoanCommand): boolean {
  if (on < BUSINESS_DATE) return true;
  return on === BUSINESS_DATE && command.kind !== 'close-business-day';
}

/**
 * The projections' first catch-up over the seeded log runs in an engine process of its own
 * (CATCH_UP_CHILD_ENV), and the closes in another, as a deployed engine runs them: its
 * projections following the log live, not just back from folding twelve million events.
 * In one process, the memory that catch-up's threads leave behind counted as the closes'
 * (a one-day close peaked at 3.51 GB right after a catch-up that peaked at 3.07 GB; started
 * afresh in the same process, 2.42 GB). The catch-up's own peak is reported beside them.
 */
const CATCH_UP_CHILD_ENV = 'ARREARS_COB_BENCH_CATCH_UP';

interface CatchUpRequest {
  /** The engine's configuration, as loadConfig reads it. */
  readonly env: Record<string, string>;
  readonly resultPath: string;
}

interface CatchUpResult {
  readonly seconds: number;
  readonly peakRss: number;
  readonly projectionNames: string[];
}

async function runCatchUpChild(request: CatchUpRequest): Promise<void> {
  const engine = await Engine.start(loadConfig(request.env));
  try {
    const catchUp = await timed(() => engine.projectionsCaughtUp(new Progress('projection catch-up')));
    const result: CatchUpResult = { seconds: catchUp.seconds, peakRss: new PeakMemory().bytes(), projectionNames: engine.projectionNames };
    writeFileSync(request.resultPath, JSON.stringify(result));
  } finally {
    await engine.close();
  }
}

function catchUpInChildProcess(request: CatchUpRequest): Promise<CatchUpResult> {
  return inChildProcess<CatchUpResult>('projection catch-up', CATCH_UP_CHILD_ENV, request);
}

/** A memory figure of a process from /proc/<pid>/status, in bytes; undefined where there is none (not Linux, a process gone). */
function processStatusBytes(field: 'VmHWM' | 'VmRSS', pid: number | 'self' = 'self'): number | undefined {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The engine: the Nest application context as main.ts builds it, minus the HTTP listener.
// ---------------------------------------------------------------------------------------------

class Engine {
  private constructor(private readonly app: INestApplicationContext) {}

  static async start(config: AppConfig): Promise<Engine> {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, SILENT_LOGGER), { logger: false, abortOnError: false });
    return new Engine(app);
  }

  get closeOfBusiness(): CloseOfBusinessService {
    return this.app.get(CloseOfBusinessService);
  }

  get events(): EventStore {
    return this.app.get<EventStore>(EVENT_STORE);
  }

  get projectionNames(): string[] {
    return this.app.get<Projection[]>(PROJECTIONS).map((projection) => projection.name);
  }

  /** Waits until every projection has applied the whole log, showing the slowest one's progress. */
  async projectionsCaughtUp(progress?: Progress): Promise<void> {
    const startedAt = performance.now();
    const head = await this.events.headPosition();
    const names = this.projectionNames;
    const projections = this.app.get(ProjectionsService);
    const readModels = this.app.get<ReadModelDb>(READ_MODEL_DB);
    const caughtUp = Promise.all(names.map((name) => projections.ensureCaughtUp(name, head, PROJECTION_CATCH_UP_TIMEOUT_MS)));
    let done = false;
    caughtUp.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done && progress) {
      await Promise.race([caughtUp, delay(500)]).catch(() => undefined);
      const checkpoints = await Promise.all(names.map(async (name) => ({ name, position: (await readCheckpoint(readModels, name))?.position ?? 0 })));
      const slowest = checkpoints.reduce((a, b) => (b.position < a.position ? b : a));
      progress.update(`slowest is ${slowest.name} at ${n(slowest.position)} of ${n(head)} events${eta(startedAt, slowest.position / head)}`);
    }
    await caughtUp;
    progress?.end();
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

/** What a run appended to one loan, read back from the log. */
interface LoanOutcome {
  instalmentsMissed: number;
  delinquencyThresholds: number;
  penaltyPosted: number;
}

interface CobRun {
  readonly result: CloseOfBusinessResult;
  readonly seconds: number;
  /**
   * CPU time of this thread (where close of business runs) over the run: what the run itself
   * cost, less sensitive to the machine's neighbours than the elapsed time.
   */
  readonly threadCpuSeconds: number | undefined;
  /** Time this thread was ready to run but waited for a core (Linux's schedstat): the other threads' and the neighbours' share. */
  readonly runQueueSeconds: number | undefined;
  /**
   * Bytes this thread had read from the disk itself (Linux's read_bytes): pages of the files
   * that were not in the page cache. Its time off a core that is neither CPU nor waiting for
   * a core is spent there and in the commits' syncs.
   */
  readonly diskReadBytes: number | undefined;
  /** Longest the event loop went without a turn: HTTP requests and projections wait that long. */
  readonly longestStallSeconds: number;
  /** What each of the process's threads did meanwhile, by name (process-threads.ts); empty where Linux's /proc is not. */
  readonly threadShares: readonly ThreadShare[];
  readonly outcomes: ReadonlyMap<string, LoanOutcome>;
  readonly projectionSeconds: number;
  /** Peak RSS of the process from the start of the run until its events were projected. */
  readonly peakRss: number;
  /** The load average when the run ended. */
  readonly load: string;
}

async function timeCloseOfBusiness(engine: Engine, businessDate: BusinessDate, memory: PeakMemory): Promise<CobRun> {
  const headBefore = await engine.events.headPosition();
  const progress = new Progress(`close of business ${businessDate}`);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // The monitor ignores its first tick: let it take one, or a stall right away goes unseen.
  await delay(30);
  const profiler = await CpuProfile.startIfAsked();
  const startedAt = performance.now();
  // Node 23.9 and later; on older ones the figure is left out.
  const cpuAtStart = process.threadCpuUsage?.();
  const runQueueAtStart = runQueueWaitSeconds();
  const diskReadAtStart = diskReadBytes();
  const threadsAtStart = threadTotals();
  const result = await engine.closeOfBusiness.run(businessDate, undefined, (done, total) =>
    progress.update(() => `${n(done)} / ${n(total)} loans`),
  );
  const endedAt = performance.now();
  const cpu = cpuAtStart && process.threadCpuUsage(cpuAtStart);
  const runQueueAtEnd = runQueueWaitSeconds();
  const diskReadAtEnd = diskReadBytes();
  const threadShares = sharesSince(threadsAtStart);
  await profiler?.stop(`cob-${businessDate}`);
  // The delay monitor records a stall when its timer next fires, which needs a turn of the loop.
  await delay(50);
  loopDelay.disable();
  progress.end();

  const outcomes = await outcomesAfter(engine.events, headBefore);
  // The projections could not run while COB held the event loop: this is how long they lag behind it.
  await engine.projectionsCaughtUp();
  return {
    result,
    seconds: (endedAt - startedAt) / 1000,
    threadCpuSeconds: cpu && (cpu.user + cpu.system) / 1e6,
    runQueueSeconds: runQueueAtStart !== undefined && runQueueAtEnd !== undefined ? runQueueAtEnd - runQueueAtStart : undefined,
    diskReadBytes: diskReadAtStart !== undefined && diskReadAtEnd !== undefined ? diskReadAtEnd - diskReadAtStart : undefined,
    longestStallSeconds: loopDelay.max / 1e9,
    threadShares,
    outcomes,
    projectionSeconds: secondsSince(endedAt),
    peakRss: memory.bytes(),
    load: load(),
  };
}

/** The time the main thread has spent ready to run while waiting for a core, from Linux's schedstat; undefined elsewhere. */
function runQueueWaitSeconds(): number | undefined {
  const schedstat = mainThreadProcFile('schedstat');
  return schedstat === undefined ? undefined : Number(schedstat.split(' ')[1]) / 1e9;
}

/** What the main thread has read from the disk (not the page cache) so far, from Linux's per-thread io; undefined elsewhere. */
function diskReadBytes(): number | undefined {
  const io = mainThreadProcFile('io');
  const bytes = io?.match(/^read_bytes: (\d+)$/m)?.[1];
  return bytes === undefined ? undefined : Number(bytes);
}

function mainThreadProcFile(name: 'schedstat' | 'io'): string | undefined {
  return readFileIfThere(`/proc/self/task/${process.pid}/${name}`);
}

/**
 * BENCH_COB_CPU_PROFILE=<directory>: a CPU profile of this thread (where close of business
 * runs) over each close alone, written there as cob-<date>.cpuprofile for Chrome DevTools.
 */
class CpuProfile {
  private constructor(
    private readonly session: Session,
    private readonly directory: string,
  ) {}

  static async startIfAsked(): Promise<CpuProfile | undefined> {
    const directory = process.env.BENCH_COB_CPU_PROFILE;
    if (!directory) return undefined;
    // Made as the profile starts: a directory that cannot be made fails before the close,
    // rather than after it has taken its minutes with nowhere to write what it measured.
    mkdirSync(directory, { recursive: true });
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return new CpuProfile(session, directory);
  }

  async stop(name: string): Promise<void> {
    const { profile } = await this.session.post('Profiler.stop');
    const path = join(this.directory, `${name}.cpuprofile`);
    writeFileSync(path, JSON.stringify(profile));
    this.session.disconnect();
    console.log(`  CPU profile of the close: ${path}`);
  }
}

/** What the events appended after a position did to each loan. */
async function outcomesAfter(events: EventStore, position: number): Promise<Map<string, LoanOutcome>> {
  const outcomes = new Map<string, LoanOutcome>();
  for (let page = await events.readAll(position, 1_000); page.length > 0; page = await events.readAll(page.at(-1)!.position, 1_000)) {
    for (const event of page) {
      if (event.stream === BUSINESS_DAY_STREAM) continue;
      let outcome = outcomes.get(event.stream);
      if (!outcome) outcomes.set(event.stream, (outcome = { instalmentsMissed: 0, delinquencyThresholds: 0, penaltyPosted: 0 }));
      if (event.type === 'InstalmentMissed') outcome.instalmentsMissed++;
      if (event.type === 'DelinquencyThresholdReached') outcome.delinquencyThresholds++;
      if (event.type === 'PenaltyAccrued') outcome.penaltyPosted += (event.data as PenaltyAccruedData).amount;
    }
  }
  return outcomes;
}

function totalOf(outcomes: ReadonlyMap<string, LoanOutcome>, field: keyof LoanOutcome, streams?: ReadonlySet<string>): number {
  let total = 0;
  for (const [stream, outcome] of outcomes) if (!streams || streams.has(stream)) total += outcome[field];
  return total;
}

/** ", 1:23 to go", assuming the rest goes as fast as what is done. */
function eta(startedAt: number, doneShare: number): string {
  if (doneShare <= 0 || doneShare >= 1) return '';
  const left = Math.round((secondsSince(startedAt) * (1 - doneShare)) / doneShare);
  return `, ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} to go`;
}

/** One line on stderr: rewritten in place on a terminal, else printed every few seconds. */
class Progress {
  private lastAt = -Infinity;

  constructor(private readonly label: string) {}

  update(text: string | (() => string)): void {
    const now = performance.now();
    if (now - this.lastAt < (process.stderr.isTTY ? 250 : 5_000)) return;
    this.lastAt = now;
    const line = `${this.label}: ${typeof text === 'function' ? text() : text}`;
    process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
  }

  end(): void {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

const n = (value: number) => Math.round(value).toLocaleString('en');
/** Exact minor units as a decimal string, thousands grouped: 83946256 → "839,462.56 CNY". */
const money = (minor: number) => `${formatAmount(minor, CURRENCY).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${CURRENCY}`;
/** The 1-, 5- and 15-minute load averages: the machine is shared, and its load colours every figure. */
const load = () => `load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`;

type ReadStore = 'sqlite' | 'postgres';
const READ_STORE_NAMES: Record<ReadStore, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL read models' };

function printHeader(options: Options, defaultSynchronous: SqliteSynchronous): void {
  const { loans, synchronous, readStore } = options;
  console.log(`Close of business over a synthetic portfolio (${load()})`);
  console.log(`  ${n(loans)} active loans, every ${OVERDUE_EVERY}th overdue (1-180 days past due, weighted to M1); business date ${BUSINESS_DATE}`);
  if (loans !== TARGET_LOANS) console.log(`  NOTE: ${n(loans)} loans; the ${TARGET_SECONDS} s target (issue 23) is for ${n(TARGET_LOANS)} loans: BENCH_LOANS=${TARGET_LOANS} for a verdict`);
  console.log(
    `  terms 6/12/24 months; equal-installment 70%, equal-principal 20%, interest-only 10%; ${CURRENCY} 3,000-50,000 at 6-24%`,
  );
  console.log(`  history: current loans paid every instalment on its due date; overdue loans paid their first 0-5 and nothing since;`);
  console.log(`           close of business ran every day up to the day before ${BUSINESS_DATE} (one PenaltyAccrued a day per overdue loan);`);
  console.log(`           each loan has the snapshot the command pipeline left (one every ${loanDecider.snapshotting!.everyEvents} events)`);
  const note = synchronous === defaultSynchronous ? 'the app default' : `--synchronous; the app default is ${defaultSynchronous}`;
  console.log(
    `  engine: Nest application context, SQLite event store (synchronous = ${synchronous}, ${note}), ` +
      `read models in ${readStore === 'postgres' ? `PostgreSQL (${redacted(options.readStoreUrl)}, a schema of its own)` : 'SQLite'}, projections in-process`,
  );
  console.log(
    `  seeding, in a process of its own: ${SEED_THREADS} thread(s) decide the histories, one writes them with synchronous = OFF, one adapter append per command\n`,
  );
}

function redacted(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function printSeeding(seeded: SeededPortfolio, eventsPath: string, peak: number): void {
  const { census } = seeded;
  const buckets = [...census.buckets].filter(([, count]) => count > 0).map(([bucket, count]) => `${bucket} ${n(count)}`).join(', ');
  console.log(`portfolio on ${BUSINESS_DATE}: ${n(census.activeOnBusinessDate)} active loans: ${buckets}`);
  console.log(
    `seeding: ${n(seeded.events)} events in ${n(seeded.streams)} streams (${n(seeded.daysClosed)} days closed), ` +
      `${seconds(seeded.seconds)} (${n(seeded.events / seeded.seconds)} events/s, ${seeded.threads} building thread(s)); ` +
      `event log ${(statSync(eventsPath).size / 2 ** 20).toFixed(0)} MiB; the seeding process's peak RSS ${gib(peak)}; ${load()}`,
  );
}

function printRun(title: string, run: CobRun, portfolioLoans: number, days: number): void {
  const { result } = run;
  console.log(`\n${title}`);
  console.log(
    `  loans visited ${n(result.loansVisited)} of ${n(portfolioLoans)}; events appended ${n(result.eventsAppended)} ` +
      `(instalments missed ${n(result.instalmentsMissed)}, penalty accruals ${n(result.penaltyAccruals)}, ` +
      `delinquency thresholds ${n(result.delinquencyThresholds)}) + 1 BusinessDayClosed; ` +
      `penalty posted ${money(totalOf(run.outcomes, 'penaltyPosted'))}`,
  );
  console.log(
    `  elapsed ${seconds(run.seconds)}: ${n(portfolioLoans / run.seconds)} loans/s over the portfolio, ` +
      `${n(result.loansVisited / run.seconds)} visited loans/s, ${n(result.eventsAppended / run.seconds)} events/s` +
      (days > 1 ? `, ${n((portfolioLoans * days) / run.seconds)} loan-days/s` : '') +
      threadFigures(run) +
      `; peak RSS ${gib(run.peakRss)}; ${run.load}`,
  );
  console.log(
    `  event loop blocked for up to ${seconds(run.longestStallSeconds)} during the run; ` +
      `projections then caught up with its events in ${seconds(run.projectionSeconds)}`,
  );
  const busy = describeBusyThreads(run.threadShares, run.seconds);
  if (busy) console.log(`  the process's threads meanwhile (on a core; handed to write(2), wchar): ${busy}`);
}

/** "7.44 s, 13,441 visited loans/s, 12,700 events/s": the run's figures for the results (threadFigures, then otherThreadsFigures, go last). */
function runFigures(run: CobRun): string {
  const { result } = run;
  return `${seconds(run.seconds)}, ${n(result.loansVisited / run.seconds)} visited loans/s, ${n(result.eventsAppended / run.seconds)} events/s`;
}

/** Where the close's thread spent the elapsed time, as far as Linux and Node tell: "; CPU of its thread 16.7 s (167 µs a visited loan), …". */
function threadFigures(run: CobRun): string {
  return (
    (run.threadCpuSeconds === undefined
      ? ''
      : `; CPU of its thread ${seconds(run.threadCpuSeconds)} (${n((run.threadCpuSeconds * 1e6) / Math.max(1, run.result.loansVisited))} µs a visited loan)`) +
    (run.runQueueSeconds === undefined ? '' : `, waiting for a core ${seconds(run.runQueueSeconds)}`) +
    (run.diskReadBytes === undefined ? '' : `, read from the disk ${n(run.diskReadBytes / 2 ** 20)} MiB`)
  );
}

/**
 * "; the other threads (on a core, written): projections 15.0 s, 5.04 GB; …": what competed
 * with the close's thread for the cores and the disk, kept in the results beside its figures.
 */
function otherThreadsFigures(run: CobRun): string {
  const busy = describeBusyThreads(
    run.threadShares.filter((share) => !share.mainThread),
    run.seconds,
  );
  return busy === undefined ? '' : `; the other threads (on a core, written): ${busy}`;
}

/**
 * Judged where the run is the target's portfolio; a smaller one gets no verdict (null), only
 * the time scaled up: COB's work grows with the loans it visits, a fixed share of the portfolio.
 */
function verdict(elapsed: number, loans: number, targetLoans: number, targetSeconds: number): { met: boolean | null; note: string } {
  if (loans === targetLoans) return { met: elapsed < targetSeconds, note: `${elapsed < targetSeconds ? 'MEETS' : 'MISSES'} the ${targetSeconds} s target for ${n(targetLoans)} loans` };
  const scaled = (elapsed * targetLoans) / loans;
  return { met: null, note: `no verdict, the ${targetSeconds} s target is for ${n(targetLoans)} loans (~${seconds(scaled)} there if it scales linearly)` };
}

function check(label: string, actual: number, expected: number): boolean {
  const same = actual === expected;
  console.log(`  ${same ? 'ok  ' : 'DIFF'} ${label}: ${n(actual)}${same ? '' : `, expected ${n(expected)}`}`);
  return same;
}

/** The measured run against the same day closed in the simulated history: the same loans, the same events. */
function checkOneDay(run: CobRun, tallies: DailyTallies): boolean {
  const expected = tallies.of(BUSINESS_DATE);
  const { result } = run;
  console.log(`  cross-check with the simulated daily close (same decider, verified against CommandPipeline):`);
  return [
    check('loans visited', result.loansVisited, expected.loansVisited),
    check('loan events appended', result.eventsAppended, expected.eventsAppended),
    check('instalments missed', result.instalmentsMissed, expected.instalmentsMissed),
    check('delinquency thresholds', result.delinquencyThresholds, expected.delinquencyThresholds),
    check('penalty posted (minor units)', totalOf(run.outcomes, 'penaltyPosted'), expected.penaltyPosted),
  ].every(Boolean);
}

/**
 * A catch-up must record what the daily closes it replaces would have (loan-decider.ts,
 * penalty-accrual.ts): compared on the loans the simulation closed day by day.
 */
function checkCatchUp(run: CobRun, seeded: SeededPortfolio, days: readonly BusinessDate[]): boolean {
  const { result } = run;
  const daily = seeded.crossCheckTallies;
  const sample = seeded.crossCheckStreams;
  console.log(`  cross-check on ${n(sample.size)} overdue loans against ${days.length} simulated daily closes ${days[0]} … ${days.at(-1)}:`);
  return [
    check('loans visited (whole portfolio)', result.loansVisited, seeded.census.withWorkOnLastDay),
    check('instalments missed', totalOf(run.outcomes, 'instalmentsMissed', sample), daily.total(days, 'instalmentsMissed')),
    check('delinquency thresholds', totalOf(run.outcomes, 'delinquencyThresholds', sample), daily.total(days, 'delinquencyThresholds')),
    check('penalty posted (minor units)', totalOf(run.outcomes, 'penaltyPosted', sample), daily.total(days, 'penaltyPosted')),
  ].every(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Memory: this process (its projection and seeding threads are threads of it) and, with
// READ_STORE=postgres, the PostgreSQL backends serving it.
// ---------------------------------------------------------------------------------------------

/**
 * Peak resident memory of this process since the last `reset` (VmHWM; writing 5 to
 * /proc/self/clear_refs resets it, Linux ≥ 4.0), so that each phase gets a peak of its own.
 * Where that is refused, the peak is the process's since it started.
 */
class PeakMemory {
  reset(): void {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      // Not Linux, or not allowed: peaks then run from the start of the process.
    }
  }

  bytes(): number {
    return processStatusBytes('VmHWM') ?? process.resourceUsage().maxRSS * 1024;
  }
}

/**
 * The PostgreSQL server processes that served this run: its connections carry an
 * application_name of their own, and /proc tells each backend's peak resident memory (which
 * counts the shared buffers it touched). Sampled every second while the engine runs.
 */
class PostgresBackends {
  private readonly peaks = new Map<number, number>();
  private readonly client: pg.Client;
  private timer: NodeJS.Timeout | undefined;

  constructor(url: string, readonly applicationName: string) {
    this.client = new pg.Client({ connectionString: url });
  }

  async start(): Promise<void> {
    await this.client.connect();
    this.timer = setInterval(() => void this.sample(), 1_000);
  }

  private async sample(): Promise<void> {
    try {
      const { rows } = await this.client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [this.applicationName]);
      for (const { pid } of rows) {
        const peak = processStatusBytes('VmHWM', pid);
        if (peak !== undefined) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, peak));
      }
    } catch {
      // A backend that ended between the query and the read, or a server on another machine.
    }
  }

  summary(): string {
    if (this.peaks.size === 0) return 'PostgreSQL backends: none seen (a server on another machine?)';
    const peaks = [...this.peaks.values()];
    return `PostgreSQL: ${peaks.length} backend(s) served the engine, the largest peaked at ${gib(Math.max(...peaks))} resident (shared buffers it touched included)`;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sample();
  }

  async dropSchema(schema: string): Promise<void> {
    await this.client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await this.client.end();
  }
}

// ---------------------------------------------------------------------------------------------

interface Options {
  readonly loans: number;
  readonly synchronous: SqliteSynchronous;
  readonly readStore: ReadStore;
  readonly readStoreUrl: string;
  /** BENCH_COB_SEEDED: where the portfolio is kept, and its manifest where one is kept already. */
  readonly keptPortfolio?: KeptPortfolio;
  readonly keptManifest?: KeptManifest;
}

const USAGE =
  'usage: [BENCH_LOANS=N] [BENCH_SHORT=1] [READ_STORE=sqlite|postgres [READ_STORE_URL=postgres://…]] [BENCH_COB_SEEDED=<directory>] npm run bench:cob [-- --synchronous OFF|NORMAL|FULL] [--loans N]';

/** The app's defaults unless the arguments or the environment say otherwise; undefined (after saying why) when they are wrong. */
function parseOptions(defaultSynchronous: SqliteSynchronous): Options | undefined {
  try {
    const { values } = parseArgs({ options: { synchronous: { type: 'string' }, loans: { type: 'string' } } });
    const synchronous = (values.synchronous ?? defaultSynchronous).toUpperCase();
    const loansGiven = values.loans ?? process.env.BENCH_LOANS;
    const loans = loansGiven === undefined ? (benchShortMode() ? SHORT_LOANS : DEFAULT_LOANS) : Number(loansGiven.replaceAll(/[_,]/g, ''));
    const readStore = (process.env.READ_STORE ?? 'sqlite').toLowerCase();
    const readStoreUrl = process.env.READ_STORE_URL || process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
    const keptDirectory = process.env[KEPT_PORTFOLIO_ENV];
    if (synchronous !== 'OFF' && synchronous !== 'NORMAL' && synchronous !== 'FULL') {
      console.error(`--synchronous must be OFF, NORMAL or FULL, not ${values.synchronous}\n${USAGE}`);
    } else if (!Number.isSafeInteger(loans) || loans < OVERDUE_EVERY) {
      console.error(`--loans / BENCH_LOANS must be a whole number of at least ${OVERDUE_EVERY}, not ${loansGiven}\n${USAGE}`);
    } else if (readStore !== 'sqlite' && readStore !== 'postgres') {
      console.error(`READ_STORE must be sqlite or postgres, not ${process.env.READ_STORE}\n${USAGE}`);
    } else if (keptDirectory && readStore !== 'sqlite') {
      console.error(`${KEPT_PORTFOLIO_ENV} keeps SQLite read models only; not with READ_STORE=${readStore}\n${USAGE}`);
    } else {
      const keptPortfolio = keptDirectory ? new KeptPortfolio(keptDirectory, loans) : undefined;
      // Read here, so that a kept portfolio of another size is refused before anything runs.
      const keptManifest = keptPortfolio?.manifest();
      return { loans, synchronous, readStore, readStoreUrl, ...(keptPortfolio && { keptPortfolio }), ...(keptManifest && { keptManifest }) };
    }
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
  }
  return undefined;
}

async function main(): Promise<void> {
  const defaultSynchronous = loadConfig({}).SQLITE_SYNCHRONOUS;
  const options = parseOptions(defaultSynchronous);
  if (!options) {
    // A usage error, unlike a missed target, is not something to report on.
    process.exitCode = 2;
    return;
  }
  const { keptPortfolio: kept, keptManifest } = options;
  const results = new BenchResults('bench:cob', {
    loans: options.loans,
    readStore: options.readStore,
    synchronous: options.synchronous,
    // Seeded and caught up by an earlier run (BENCH_COB_SEEDED): its seeding figures are that run's.
    ...(keptManifest && { portfolioKeptAt: keptManifest.keptAt, portfolioKeptBy: keptManifest.commit ?? 'unknown' }),
  });
  const storeName = READ_STORE_NAMES[options.readStore];
  const scratch = mkdtempSync(join(tmpdir(), 'arrears-cob-bench-'));
  // Leave no database files behind, whether the run ends, fails or is interrupted.
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));

  const applicationName = `arrears-bench-cob-${process.pid}`;
  const schema = `bench_cob_${process.pid}`;
  const postgres = options.readStore === 'postgres' ? new PostgresBackends(options.readStoreUrl, applicationName) : undefined;
  const configEnv: Record<string, string> = {
    SQLITE_EVENTS_PATH: join(scratch, 'events.sqlite'),
    SQLITE_READ_MODELS_PATH: join(scratch, 'read-models.sqlite'),
    SQLITE_SYNCHRONOUS: options.synchronous,
    COB_DAILY_AT: 'off',
    LOG_LEVEL: 'silent',
    READ_STORE: options.readStore,
    // PROJECTION_REBUILD_IN_MEMORY=false: the first catch-up goes batch by batch instead of
    // folding every row in memory (which at a million loans holds them all at once).
    ...(process.env.PROJECTION_REBUILD_IN_MEMORY && { PROJECTION_REBUILD_IN_MEMORY: process.env.PROJECTION_REBUILD_IN_MEMORY }),
    // SQLITE_CHECKPOINTS=on-commit: the WAL copied back by the commits, as before the checkpoint thread.
    ...(process.env.SQLITE_CHECKPOINTS && { SQLITE_CHECKPOINTS: process.env.SQLITE_CHECKPOINTS }),
    // SQLITE_READ_AHEAD=off: each loan's pages read when it is loaded, as before the read-ahead thread.
    ...(process.env.SQLITE_READ_AHEAD && { SQLITE_READ_AHEAD: process.env.SQLITE_READ_AHEAD }),
    ...(postgres && {
      READ_STORE_URL: `${options.readStoreUrl}${options.readStoreUrl.includes('?') ? '&' : '?'}application_name=${applicationName}`,
      READ_STORE_SCHEMA: schema,
    }),
  };
  const config = loadConfig(configEnv);
  printHeader(options, defaultSynchronous);
  const memory = new PeakMemory();

  const { firstDay, samples: samplePlans } = surveyPlans(options.loans);
  const lastDay = addDays(BUSINESS_DATE, CATCH_UP_DAYS);
  const calendar = new Calendar(firstDay, lastDay);

  const samples = samplePlans.map((plan) => liveLoan(plan, calendar, { history: new DailyTallies(), afterBusinessDate: new DailyTallies() }));
  const compared = await assertPipelineAgrees(samples);
  console.log(`replica check: ${n(compared)} events of ${samples.length} sample loans through ${lastDay} identical to CommandPipeline's`);

  const seedRequest: SeedRequest = {
    path: config.SQLITE_EVENTS_PATH,
    loans: options.loans,
    firstDay,
    lastDay,
    spillPath: join(scratch, 'payments.ndjson'),
    resultPath: join(scratch, 'seeded.json'),
  };
  const catchUpRequest: CatchUpRequest = { env: configEnv, resultPath: join(scratch, 'caught-up.json') };
  const copied: CopyProgress = (file, bytes, took) => console.log(`  copied ${file}: ${gib(bytes)} in ${seconds(took)} (${load()})`);
  if (kept && keptManifest) {
    const bytes = Object.values(keptManifest.files).reduce((sum, size) => sum + size, 0);
    console.log(`copying the kept portfolio's ${Object.keys(keptManifest.files).length} files (${gib(bytes)}) from ${kept.directory}`);
    kept.restoreInto(scratch, keptManifest, copied);
    console.log(
      `portfolio copied from ${kept.directory} (${KEPT_PORTFOLIO_ENV}, kept ${keptManifest.keptAt} by the build of ${keptManifest.commit ?? 'an unknown commit'}): ` +
        `no seeding and no first catch-up in this run; their figures below are the kept run's, and so are its event log's and read models' files`,
    );
  }
  const { seeded, peakRss: seedingPeak } = keptManifest
    ? seededFrom(JSON.parse(readFileSync(seedRequest.resultPath, 'utf8')) as SeedResult, seedRequest.spillPath)
    : await seedInChildProcess(seedRequest);
  printSeeding(seeded, config.SQLITE_EVENTS_PATH, seedingPeak);

  await postgres?.start();
  const catchUp = keptManifest ? (JSON.parse(readFileSync(catchUpRequest.resultPath, 'utf8')) as CatchUpResult) : await catchUpInChildProcess(catchUpRequest);
  const catchUpPeak = catchUp.peakRss;
  console.log(
    `projection catch-up, in an engine process of its own: ${catchUp.projectionNames.length} projections (${catchUp.projectionNames.join(', ')}) ` +
      `over ${n(seeded.events)} events, ${seconds(catchUp.seconds)} (${n(seeded.events / catchUp.seconds)} events/s); peak RSS ${gib(catchUpPeak)}; ${load()}`,
  );
  if (kept && !keptManifest) {
    console.log(`keeping the seeded and caught-up portfolio in ${kept.directory} (${KEPT_PORTFOLIO_ENV}): copying its files`);
    kept.keepFrom(scratch, copied);
    console.log(`seeded and caught-up portfolio kept in ${kept.directory} for later runs (${KEPT_PORTFOLIO_ENV})`);
  }
  const engine = await Engine.start(config);
  const label = (what: string, loans = options.loans) => `bench:cob ${what}, ${n(loans)} loans (${storeName})`;
  let summary: string;
  try {
    // A kept portfolio's catch-up was recorded by the run that kept it.
    if (!keptManifest) results.record({
      benchmark: label('projection catch-up after seeding'),
      measured: `${n(seeded.events)} events in ${seconds(catchUp.seconds)}, ${n(seeded.events / catchUp.seconds)} events/s`,
      target: 'none (reported)',
      met: null,
      value: Math.round(seeded.events / catchUp.seconds),
      unit: 'events/s',
    });

    await engine.projectionsCaughtUp();
    console.log(`engine started over the caught-up read models for the closes: RSS ${gib(processStatusBytes('VmRSS') ?? process.memoryUsage().rss)} before the first; ${load()}`);
    const visitedHistory = seeded.tallies.of(BUSINESS_DATE);
    memory.reset();
    const oneDay = await timeCloseOfBusiness(engine, BUSINESS_DATE, memory);
    printRun(`ONE DAY: close of business ${BUSINESS_DATE}`, oneDay, options.loans, 1);
    const perVisit = (count: number) => (count / Math.max(1, visitedHistory.loansVisited)).toFixed(1);
    console.log(
      `  the visited loans' streams held ${perVisit(visitedHistory.historyEvents)} events each on average; ` +
        `loading one read its snapshot and ${perVisit(visitedHistory.eventsPastSnapshots)} events past it`,
    );
    const oneDayAgrees = checkOneDay(oneDay, seeded.tallies);

    // COB did not run for 30 days while payments kept coming in; then one run catches up.
    const payments = new BulkAppender(config.SQLITE_EVENTS_PATH);
    await payments.appendSpilled(seeded.paymentsAfterBusinessDate);
    await payments.close();
    await engine.projectionsCaughtUp();
    const catchUpDays = calendar.range(addDays(BUSINESS_DATE, 1), lastDay);
    memory.reset();
    const catchUpRun = await timeCloseOfBusiness(engine, lastDay, memory);
    printRun(
      `${CATCH_UP_DAYS}-DAY CATCH-UP: close of business ${lastDay} right after ${BUSINESS_DATE} ` +
        `(${n(seeded.paymentsAfterBusinessDate.commands)} payments received in between appended first)`,
      catchUpRun,
      options.loans,
      CATCH_UP_DAYS,
    );
    const catchUpAgrees = checkCatchUp(catchUpRun, seeded, catchUpDays);
    const closesPeak = Math.max(oneDay.peakRss, catchUpRun.peakRss);
    await postgres?.stop();
    console.log(
      `\npeak RSS of the closes' engine process (its main and projection threads; each close on its own): ${gib(closesPeak)} ` +
        `(one day ${gib(oneDay.peakRss)}, catch-up ${gib(catchUpRun.peakRss)}); the projection catch-up's engine process after seeding ${gib(catchUpPeak)}; ` +
        `the seeding process (its threads included) ${gib(seedingPeak)}`,
    );
    if (postgres) console.log(postgres.summary());

    // The target is the closes' (each peak includes what the process held when it began);
    // the seeding and the projections' first catch-up, the benchmark's scaffolding, are printed beside it.
    const rssMet = closesPeak < TARGET_PEAK_RSS_BYTES;
    const atTarget = options.loans === TARGET_LOANS;
    // Issue 23 sets the 20 s for SQLite read models and asks for the close to be measured on
    // PostgreSQL read models too: there the time is reported, and only the memory judged.
    const timeJudged = options.readStore === 'sqlite';
    const target = timeJudged
      ? verdict(oneDay.seconds, options.loans, TARGET_LOANS, TARGET_SECONDS)
      : { met: true, note: `measured (the ${TARGET_SECONDS} s target is for SQLite read models)` };
    const rssNote = `peak RSS ${gib(closesPeak)} (${keptManifest ? "the kept portfolio's " : ''}projection catch-up ${gib(catchUpPeak)}, seeding ${gib(seedingPeak)})`;
    results.record({
      benchmark: label('one day', TARGET_LOANS),
      measured: atTarget
        ? `${runFigures(oneDay)}, ${rssNote}${threadFigures(oneDay)}${otherThreadsFigures(oneDay)}`
        : `${runFigures(oneDay)} at ${n(options.loans)} loans (~${seconds((oneDay.seconds * TARGET_LOANS) / options.loans)} at ${n(TARGET_LOANS)} | scaled), ${rssNote}${threadFigures(oneDay)}${otherThreadsFigures(oneDay)}`,
      target: timeJudged ? `< ${TARGET_SECONDS} s, peak RSS < 2 GB` : `peak RSS < 2 GB; the time measured (the ${TARGET_SECONDS} s target is SQLite's)`,
      met: atTarget ? target.met! && rssMet : null,
      value: Number(oneDay.seconds.toFixed(2)),
      unit: 's',
    });
    const issue4 = verdict(oneDay.seconds, options.loans, ISSUE_4_LOANS, ISSUE_4_SECONDS);
    results.record({
      benchmark: label('one day', ISSUE_4_LOANS),
      measured: issue4.met === null ? `${runFigures(oneDay)} at ${n(options.loans)} loans (~${seconds((oneDay.seconds * ISSUE_4_LOANS) / options.loans)} at ${n(ISSUE_4_LOANS)} | scaled)` : runFigures(oneDay),
      target: `< ${ISSUE_4_SECONDS} s`,
      met: issue4.met,
      value: Number(oneDay.seconds.toFixed(2)),
      unit: 's',
    });
    results.record({
      benchmark: label(`${CATCH_UP_DAYS}-day catch-up`),
      measured: `${runFigures(catchUpRun)}, peak RSS ${gib(catchUpRun.peakRss)}${threadFigures(catchUpRun)}${otherThreadsFigures(catchUpRun)}`,
      target: 'none (issue 23 sets a target for one day only; reported)',
      met: null,
      value: Number(catchUpRun.seconds.toFixed(2)),
      unit: 's',
    });
    results.record({
      benchmark: label('cross-checks'),
      measured: oneDayAgrees && catchUpAgrees ? 'the closes appended what the simulated daily closes did' : 'DISAGREE with the simulated daily closes',
      target: 'same events as the simulated daily closes',
      met: oneDayAgrees && catchUpAgrees,
    });

    summary =
      `one day over ${n(options.loans)} loans (${storeName}) in ${seconds(oneDay.seconds)}: ${target.note}; ` +
      `${rssNote} ${atTarget ? (rssMet ? 'MEETS' : 'MISSES') : 'against'} the 2 GB target; ` +
      `${CATCH_UP_DAYS}-day catch-up ${seconds(catchUpRun.seconds)} (no target); issue 4's 100,000 loans in ${ISSUE_4_SECONDS} s: ${issue4.note}; ` +
      `synchronous=${options.synchronous}; cross-checks ${oneDayAgrees && catchUpAgrees ? 'agree' : 'DISAGREE'}; ${load()}`;
  } finally {
    await engine.close();
    await postgres?.stop();
    await postgres?.dropSchema(schema);
  }
  results.finish();
  console.log(`\nSUMMARY: ${summary}.`);
}

if (!isMainThread && (workerData as SeedThreadData | undefined)?.cobSeedThread) runSeedThread(workerData as SeedThreadData);
else if (process.env[SEED_CHILD_ENV]) await runSeedChild(JSON.parse(process.env[SEED_CHILD_ENV]) as SeedRequest);
else if (process.env[CATCH_UP_CHILD_ENV]) await runCatchUpChild(JSON.parse(process.env[CATCH_UP_CHILD_ENV]) as CatchUpRequest);
else await main();
