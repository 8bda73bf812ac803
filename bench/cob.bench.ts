/**
 * Close of business over a synthetic portfolio (issue 4): 100,000 active loans, 10% of them
 * overdue, closed for one business day and then caught up over 30 days, on the real path —
 * CloseOfBusinessService in the Nest application context, the SQLite files, and the
 * projections running in-process as they do in server mode.
 *
 *   npm run bench:cob                            # synchronous = the app default (FULL)
 *   npm run bench:cob -- --synchronous NORMAL
 *   npm run bench:cob -- --loans 10000           # a quick look; the target is for 100,000
 *
 * At 100,000 loans a run takes 10-14 minutes on the 2-core reference machine: 3-6 to seed
 * 1.2 million events, ~6 for the projections to catch up with them, then the two closes.
 * A report, not a test: it exits 0 whether or not close of business meets its target.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as delay, setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
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

/** Issue 4: one business day over 100,000 loans in under 10 s on the 2-core reference machine. */
const TARGET_SECONDS = 10;
const PORTFOLIO_LOANS = 100_000;
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
/** Loans whose history is built and written together; bounds the memory the seeding holds. */
const SEED_BLOCK_LOANS = 5_000;
/**
 * The seeding never waits for I/O (better-sqlite3 is synchronous), so it gives the event loop
 * a turn this often, about once a second: that is when a Ctrl-C gets handled.
 */
const SEED_LOANS_PER_TURN = 250;
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

/** Overdue loans across the range of days past due, and a current loan of each repayment method. */
function sampleForReplicaCheck(plans: readonly LoanPlan[]): LoanPlan[] {
  const overdue = plans.filter((plan) => plan.plannedDaysPastDue !== undefined).sort((a, b) => a.plannedDaysPastDue! - b.plannedDaysPastDue!);
  const spread = [0, 0.25, 0.5, 0.75, 1].map((quantile) => overdue[Math.round(quantile * (overdue.length - 1))]!);
  const current = REPAYMENT_METHODS.flatMap(([method]) => plans.find((p) => p.plannedDaysPastDue === undefined && p.originate.repaymentMethod === method) ?? []);
  return [...spread, ...current];
}

// ---------------------------------------------------------------------------------------------
// Writing the history into the event store file.
// ---------------------------------------------------------------------------------------------

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
  async append(commands: readonly RecordedCommand<unknown>[]): Promise<void> {
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

  close(): Promise<void> {
    return this.store.close();
  }
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
  readonly paymentsAfterBusinessDate: RecordedCommand<LoanCommand>[];
  readonly events: number;
  readonly streams: number;
  readonly daysClosed: number;
  readonly seconds: number;
}

/**
 * Writes the history up to the business date: every loan's servicing commands, the daily
 * closes of business through the day before, and the payments of the business date itself.
 * Loans are built in blocks, and each block is written in business-date order so that a
 * loan's events lie scattered through the log among other loans' as in a live engine,
 * rather than side by side (which would flatter the stream reads COB makes). The
 * close-of-business stream comes last: each day's summary counts every loan.
 */
async function seedPortfolio(path: string, plans: readonly LoanPlan[], calendar: Calendar, progress: Progress): Promise<SeededPortfolio> {
  const startedAt = performance.now();
  const tallies = new DailyTallies();
  const crossCheckTallies = new DailyTallies();
  const crossCheckStreams = new Set<string>();
  const census = new Census();
  const paymentsAfterBusinessDate: RecordedCommand<LoanCommand>[] = [];
  const appender = new BulkAppender(path);
  try {
    for (let first = 0; first < plans.length; first += SEED_BLOCK_LOANS) {
      const history: RecordedCommand<LoanCommand>[] = [];
      for (const plan of plans.slice(first, first + SEED_BLOCK_LOANS)) {
        if (plan.index % SEED_LOANS_PER_TURN === 0) await nextTurnOfEventLoop();
        const closedDaily = isClosedDailyForCrossCheck(plan);
        if (closedDaily) crossCheckStreams.add(loanStream(plan.loanId));
        const loan = liveLoan(plan, calendar, { history: tallies, afterBusinessDate: closedDaily ? crossCheckTallies : undefined }, census);
        for (const recorded of loan.recorded) {
          if (isHistoryOnBusinessDate(recorded.on, recorded.command)) history.push(recorded);
          else if (recorded.command.kind === 'receive-payment') paymentsAfterBusinessDate.push(recorded);
          // The closes from the business date on are the runs being measured: only tallied.
        }
      }
      await appender.append(chronological(history));
      const loans = Math.min(first + SEED_BLOCK_LOANS, plans.length);
      progress.update(() => `${n(loans)} / ${n(plans.length)} loans, ${n(appender.events)} events${eta(startedAt, loans / plans.length)}`);
    }
    const daysClosed = calendar.range(calendar.days[0]!, addDays(BUSINESS_DATE, -1));
    const businessDays = closeBusinessDays(daysClosed, tallies);
    await assertPipelineAgrees([businessDays]);
    await appender.append(businessDays.recorded);
    progress.end();
    return {
      tallies,
      crossCheckTallies,
      crossCheckStreams,
      census,
      paymentsAfterBusinessDate,
      events: appender.events,
      streams: plans.length + 1,
      daysClosed: daysClosed.length,
      seconds: secondsSince(startedAt),
    };
  } finally {
    await appender.close();
  }
}

/** Whether a command belongs to the history written before the runs (not to what they, or the 30 days after, do). */
function isHistoryOnBusinessDate(on: BusinessDate, command: LoanCommand): boolean {
  if (on < BUSINESS_DATE) return true;
  return on === BUSINESS_DATE && command.kind !== 'close-business-day';
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
  /** Longest the event loop went without a turn: HTTP requests and projections wait that long. */
  readonly longestStallSeconds: number;
  readonly outcomes: ReadonlyMap<string, LoanOutcome>;
  readonly projectionSeconds: number;
}

async function timeCloseOfBusiness(engine: Engine, businessDate: BusinessDate): Promise<CobRun> {
  const headBefore = await engine.events.headPosition();
  const progress = new Progress(`close of business ${businessDate}`);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // The monitor ignores its first tick: let it take one, or a stall right away goes unseen.
  await delay(30);
  const startedAt = performance.now();
  const result = await engine.closeOfBusiness.run(businessDate, undefined, (done, total) =>
    progress.update(() => `${n(done)} / ${n(total)} loans`),
  );
  const endedAt = performance.now();
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
    longestStallSeconds: loopDelay.max / 1e9,
    outcomes,
    projectionSeconds: secondsSince(endedAt),
  };
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

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const startedAt = performance.now();
  const value = await work();
  return { value, seconds: secondsSince(startedAt) };
}

function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
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
const seconds = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} s`;
/** Exact minor units as a decimal string, thousands grouped: 83946256 → "839,462.56 CNY". */
const money = (minor: number) => `${formatAmount(minor, CURRENCY).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${CURRENCY}`;

function printHeader(loans: number, synchronous: SqliteSynchronous, defaultSynchronous: SqliteSynchronous): void {
  console.log(`Close of business over a synthetic portfolio`);
  console.log(`  ${n(loans)} active loans, every ${OVERDUE_EVERY}th overdue (1-180 days past due, weighted to M1); business date ${BUSINESS_DATE}`);
  if (loans !== PORTFOLIO_LOANS) console.log(`  NOTE: --loans ${n(loans)}; the ${TARGET_SECONDS} s target is for ${n(PORTFOLIO_LOANS)} loans`);
  console.log(
    `  terms 6/12/24 months; equal-installment 70%, equal-principal 20%, interest-only 10%; ${CURRENCY} 3,000-50,000 at 6-24%`,
  );
  console.log(`  history: current loans paid every instalment on its due date; overdue loans paid their first 0-5 and nothing since;`);
  console.log(`           close of business ran every day up to the day before ${BUSINESS_DATE} (one PenaltyAccrued a day per overdue loan);`);
  console.log(`           each loan has the snapshot the command pipeline left (one every ${loanDecider.snapshotting!.everyEvents} events)`);
  const note = synchronous === defaultSynchronous ? 'the app default' : `--synchronous; the app default is ${defaultSynchronous}`;
  console.log(`  engine: Nest application context, SQLite files, synchronous = ${synchronous} (${note}), projections in-process`);
  console.log(`  seeding writes with synchronous = OFF on a connection of its own, one adapter append per command\n`);
}

function printSeeding(seeded: SeededPortfolio, eventsPath: string): void {
  const { census } = seeded;
  const buckets = [...census.buckets].filter(([, count]) => count > 0).map(([bucket, count]) => `${bucket} ${n(count)}`).join(', ');
  console.log(`portfolio on ${BUSINESS_DATE}: ${n(census.activeOnBusinessDate)} active loans: ${buckets}`);
  console.log(
    `seeding: ${n(seeded.events)} events in ${n(seeded.streams)} streams (${n(seeded.daysClosed)} days closed), ` +
      `${seconds(seeded.seconds)} (${n(seeded.events / seeded.seconds)} events/s); event log ${(statSync(eventsPath).size / 2 ** 20).toFixed(0)} MiB`,
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
      (days > 1 ? `, ${n((portfolioLoans * days) / run.seconds)} loan-days/s` : ''),
  );
  console.log(
    `  event loop blocked for up to ${seconds(run.longestStallSeconds)} during the run; ` +
      `projections then caught up with its events in ${seconds(run.projectionSeconds)}`,
  );
}

/**
 * The target is set for the full portfolio. A smaller one gets no verdict, only the time scaled
 * up: COB's work grows with the loans it visits, a fixed share of the portfolio.
 */
function targetVerdict(elapsed: number, loans: number): string {
  if (loans === PORTFOLIO_LOANS) return `${elapsed < TARGET_SECONDS ? 'MEETS' : 'MISSES'} the ${TARGET_SECONDS} s target`;
  const scaled = (elapsed * PORTFOLIO_LOANS) / loans;
  return `no verdict, the ${TARGET_SECONDS} s target is for ${n(PORTFOLIO_LOANS)} loans (~${seconds(scaled)} there if it scales linearly)`;
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

interface Options {
  readonly loans: number;
  readonly synchronous: SqliteSynchronous;
}

const USAGE = 'usage: npm run bench:cob [-- --synchronous OFF|NORMAL|FULL] [--loans N]';

/** The app's defaults unless the arguments say otherwise; undefined (after saying why) when argv is wrong. */
function parseOptions(defaultSynchronous: SqliteSynchronous): Options | undefined {
  try {
    const { values } = parseArgs({ options: { synchronous: { type: 'string' }, loans: { type: 'string' } } });
    const synchronous = (values.synchronous ?? defaultSynchronous).toUpperCase();
    const loans = values.loans === undefined ? PORTFOLIO_LOANS : Number(values.loans);
    if (synchronous !== 'OFF' && synchronous !== 'NORMAL' && synchronous !== 'FULL') {
      console.error(`--synchronous must be OFF, NORMAL or FULL, not ${values.synchronous}\n${USAGE}`);
    } else if (!Number.isSafeInteger(loans) || loans < OVERDUE_EVERY) {
      console.error(`--loans must be a whole number of at least ${OVERDUE_EVERY}, not ${values.loans}\n${USAGE}`);
    } else {
      return { loans, synchronous };
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
  const scratch = mkdtempSync(join(tmpdir(), 'arrears-cob-bench-'));
  // Leave no database files behind, whether the run ends, fails or is interrupted.
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));

  const config = loadConfig({
    SQLITE_EVENTS_PATH: join(scratch, 'events.sqlite'),
    SQLITE_READ_MODELS_PATH: join(scratch, 'read-models.sqlite'),
    SQLITE_SYNCHRONOUS: options.synchronous,
    COB_DAILY_AT: 'off',
    LOG_LEVEL: 'silent',
  });
  printHeader(options.loans, options.synchronous, defaultSynchronous);

  const plans = Array.from({ length: options.loans }, (_, index) => planLoan(index));
  const firstDay = plans.reduce((first, plan) => (plan.originate.originatedOn < first ? plan.originate.originatedOn : first), BUSINESS_DATE);
  const lastDay = addDays(BUSINESS_DATE, CATCH_UP_DAYS);
  const calendar = new Calendar(firstDay, lastDay);

  const samples = sampleForReplicaCheck(plans).map((plan) =>
    liveLoan(plan, calendar, { history: new DailyTallies(), afterBusinessDate: new DailyTallies() }),
  );
  const compared = await assertPipelineAgrees(samples);
  console.log(`replica check: ${n(compared)} events of ${samples.length} sample loans through ${lastDay} identical to CommandPipeline's`);

  const seeded = await seedPortfolio(config.SQLITE_EVENTS_PATH, plans, calendar, new Progress('seeding'));
  printSeeding(seeded, config.SQLITE_EVENTS_PATH);

  const engine = await Engine.start(config);
  let verdict: string;
  try {
    const catchUp = await timed(() => engine.projectionsCaughtUp(new Progress('projection catch-up')));
    console.log(
      `projection catch-up: ${engine.projectionNames.length} projections (${engine.projectionNames.join(', ')}) over ${n(seeded.events)} events, ` +
        `${seconds(catchUp.seconds)} (${n(seeded.events / catchUp.seconds)} events/s)`,
    );

    const visitedHistory = seeded.tallies.of(BUSINESS_DATE);
    const oneDay = await timeCloseOfBusiness(engine, BUSINESS_DATE);
    printRun(`ONE DAY: close of business ${BUSINESS_DATE}`, oneDay, options.loans, 1);
    const perVisit = (count: number) => (count / Math.max(1, visitedHistory.loansVisited)).toFixed(1);
    console.log(
      `  the visited loans' streams held ${perVisit(visitedHistory.historyEvents)} events each on average; ` +
        `loading one read its snapshot and ${perVisit(visitedHistory.eventsPastSnapshots)} events past it`,
    );
    const oneDayAgrees = checkOneDay(oneDay, seeded.tallies);

    // COB did not run for 30 days while payments kept coming in; then one run catches up.
    const payments = new BulkAppender(config.SQLITE_EVENTS_PATH);
    await payments.append(seeded.paymentsAfterBusinessDate);
    await payments.close();
    await engine.projectionsCaughtUp();
    const catchUpDays = calendar.range(addDays(BUSINESS_DATE, 1), lastDay);
    const catchUpRun = await timeCloseOfBusiness(engine, lastDay);
    printRun(
      `${CATCH_UP_DAYS}-DAY CATCH-UP: close of business ${lastDay} right after ${BUSINESS_DATE} ` +
        `(${n(seeded.paymentsAfterBusinessDate.length)} payments received in between appended first)`,
      catchUpRun,
      options.loans,
      CATCH_UP_DAYS,
    );
    const catchUpAgrees = checkCatchUp(catchUpRun, seeded, catchUpDays);

    verdict =
      `one day over ${n(options.loans)} loans in ${seconds(oneDay.seconds)}: ${targetVerdict(oneDay.seconds, options.loans)}; ` +
      `${CATCH_UP_DAYS}-day catch-up ${seconds(catchUpRun.seconds)}; synchronous=${options.synchronous}; ` +
      `cross-checks ${oneDayAgrees && catchUpAgrees ? 'agree' : 'DISAGREE'}`;
  } finally {
    await engine.close();
  }
  console.log(`\nSUMMARY: ${verdict}.`);
}

await main();
