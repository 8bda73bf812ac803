/**
 * A synthetic loan portfolio for benchmarks, written through the loan decider: most loans pay
 * every instalment on its due date; every fifth stops paying after its third and is closed
 * daily for four months (a missed instalment, a penalty accrual a day, 30/60/90-day
 * thresholds). About 38 events per loan on average.
 */
import { EVENT_SCHEMAS } from '../../src/app/event-schemas.js';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { commandHash } from '../../src/kernel/commands/command-hash.js';
import { prepareAppend } from '../../src/kernel/commands/prepare-append.js';
import { type BusinessDate, addDays, addMonths } from '../../src/kernel/dates/business-date.js';
import type { EventToAppend, StreamAppend } from '../../src/kernel/event-store/event-store.port.js';
import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import { loanStream } from '../../src/loans/domain/loan-events.js';
import { benchOrigination } from './bench-origination.js';

const STOPS_PAYING_EVERY = 5;
const DAYS_CLOSED_OVERDUE = 120;
const LOANS_PER_TRANSACTION = 500;

const ACTOR = 'bench-seed';

/**
 * One loan's life as the decider tells it, stamped by the pipeline's own step (prepareAppend):
 * the events, ids and metadata a real engine would have stored. Command ids follow the
 * engine's where it makes them (close of business: `cob:<date>:<loan>`).
 */
export function loanEvents(index: number): EventToAppend[] {
  const loanId = `L${index}`;
  const stream = loanStream(loanId);
  const originatedOn = addDays('2025-01-01', index % 365);
  const disbursedOn = addDays(originatedOn, 2);
  const events: EventToAppend[] = [];
  let state = loanDecider.initialState();
  const run = (command: LoanCommand, commandId: string, correlationId = commandId) => {
    const decided = loanDecider.decide(command, state);
    if (decided.length > 0) {
      const context: CommandContext = { commandId, correlationId, causationId: correlationId, actor: ACTOR };
      events.push(...prepareAppend(decided, { stream, context, commandHash: commandHash(command), schemas: EVENT_SCHEMAS }));
    }
    state = decided.reduce(loanDecider.evolve, state);
  };
  run(benchOrigination(index, originatedOn, `${3_000 + (index % 47) * 1_000}.00`), `originate:${loanId}`);
  run({ kind: 'disburse', disbursedOn, reference: `wire-${index}` }, `disburse:${loanId}`);
  const stopsPaying = index % STOPS_PAYING_EVERY === 0;
  for (const instalment of state.instalments) {
    if (stopsPaying && instalment.number > 3) break;
    const due = instalment.principalDue + instalment.interestDue;
    const paymentId = `P${index}-${instalment.number}`;
    run({ kind: 'receive-payment', paymentId, amount: (due / 100).toFixed(2), receivedOn: instalment.dueOn, channel: 'bank', reference: `r${index}` }, paymentId);
  }
  if (stopsPaying) {
    const firstMissed: BusinessDate = addMonths(disbursedOn, 4);
    for (let day = 1; day <= DAYS_CLOSED_OVERDUE; day++) {
      const businessDate = addDays(firstMissed, day);
      run({ kind: 'close-business-day', businessDate }, `cob:${businessDate}:${loanId}`, `cob:${businessDate}`);
    }
  }
  return events;
}

/** Writes `loans` loans' events into an event store file, 500 loans per transaction; returns the head position. */
export async function seedLoanPortfolio(path: string, loans: number, onProgress?: (loansDone: number) => void): Promise<number> {
  const store = new SqliteEventStore(openSqliteDatabase(path, 'OFF'));
  try {
    for (let first = 0; first < loans; first += LOANS_PER_TRANSACTION) {
      const appends: StreamAppend[] = [];
      for (let index = first; index < Math.min(loans, first + LOANS_PER_TRANSACTION); index++) {
        appends.push({ stream: loanStream(`L${index}`), events: loanEvents(index), expectedRevision: 'no-stream' });
      }
      await store.appendToStreams(appends);
      if (first % 5_000 === 0) onProgress?.(first);
    }
    return await store.headPosition();
  } finally {
    await store.close();
  }
}
