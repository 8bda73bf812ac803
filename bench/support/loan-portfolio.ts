/**
 * A synthetic loan portfolio for benchmarks, written through the loan decider: most loans pay
 * every instalment on its due date; every fifth stops paying after its third and is closed
 * daily for four months (a missed instalment, a penalty accrual a day, 30/60/90-day
 * thresholds). About 38 events per loan on average.
 */
import { EVENT_SCHEMAS } from '../../src/app/event-schemas.js';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { type BusinessDate, addDays, addMonths } from '../../src/kernel/dates/business-date.js';
import type { StreamAppend } from '../../src/kernel/event-store/event-store.port.js';
import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import { type LoanEvent, loanStream } from '../../src/loans/domain/loan-events.js';
import { benchOrigination } from './bench-origination.js';

const STOPS_PAYING_EVERY = 5;
const DAYS_CLOSED_OVERDUE = 120;
const LOANS_PER_TRANSACTION = 500;

/** One loan's life as the decider tells it: the events a real engine would have stored. */
export function loanEvents(index: number): LoanEvent[] {
  const originatedOn = addDays('2025-01-01', index % 365);
  const disbursedOn = addDays(originatedOn, 2);
  const commands: LoanCommand[] = [
    benchOrigination(index, originatedOn, `${3_000 + (index % 47) * 1_000}.00`),
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

/** Writes `loans` loans' events into an event store file, 500 loans per transaction; returns the head position. */
export async function seedLoanPortfolio(path: string, loans: number, onProgress?: (loansDone: number) => void): Promise<number> {
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
      if (first % 5_000 === 0) onProgress?.(first);
    }
    return await store.headPosition();
  } finally {
    await store.close();
  }
}
