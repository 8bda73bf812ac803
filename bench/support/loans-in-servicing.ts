/**
 * A portfolio of loans in servicing for the HTTP benchmark, written through the real
 * CommandPipeline (so the file holds exactly what the engine would have appended: ids,
 * metadata, hash chain, snapshots) straight into the event store file, far faster than
 * over HTTP. Loans are originated over three months and disbursed; three in four pay each
 * instalment on its due date, the fourth never pays, so that the first close of business
 * leaves loans in every bucket from current to M4.
 */
import { EVENT_SCHEMAS } from '../../src/app/event-schemas.js';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { CommandPipeline, type StreamCommand } from '../../src/kernel/commands/command-pipeline.js';
import { type BusinessDate, addDays } from '../../src/kernel/dates/business-date.js';
import { formatAmount } from '../../src/kernel/money/amount.js';
import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import { loanStream } from '../../src/loans/domain/loan-events.js';
import type { LoanState } from '../../src/loans/domain/loan-state.js';
import { benchOrigination } from './bench-origination.js';

/** The date the benchmark closes: every loan has had at least one instalment fall due by then. */
export const SERVICING_BUSINESS_DATE: BusinessDate = '2026-03-31';
const FIRST_ORIGINATION: BusinessDate = '2025-11-01';
const ORIGINATION_DAYS = 90;
const NEVER_PAYS_EVERY = 4;
const CURRENCY = 'CNY';
const ACTOR = 'bench-seed';
/** Commands appended per transaction: each loan of a batch must be a different stream. */
const LOANS_PER_BATCH = 500;

export const servicedLoanId = (index: number) => `L${index}`;

export interface ServicingPortfolio {
  readonly loans: number;
  /** Head of the log once seeded. */
  readonly events: number;
}

function contextOf(commandId: string): CommandContext {
  return { commandId, correlationId: commandId, causationId: commandId, actor: ACTOR };
}

function originate(index: number): LoanCommand {
  const originatedOn = addDays(FIRST_ORIGINATION, index % ORIGINATION_DAYS);
  // Large enough that the benchmark's small payments never pay a loan off.
  return benchOrigination(index, originatedOn, `${6_000 + (index % 47) * 1_000}.00`);
}

/** Writes the portfolio into a new event store file; the engine then opens it as its own. */
export async function seedLoansInServicing(path: string, loans: number): Promise<ServicingPortfolio> {
  // Scratch data: no disk sync per commit while seeding (the benchmark itself runs with FULL).
  const store = new SqliteEventStore(openSqliteDatabase(path, 'OFF'));
  const pipeline = new CommandPipeline(store, { maxAttempts: 1, schemas: EVENT_SCHEMAS });
  const states = new Map<number, LoanState>();
  const runBatches = async (commands: Array<{ index: number; command: LoanCommand; commandId: string }>) => {
    for (let first = 0; first < commands.length; first += LOANS_PER_BATCH) {
      const batch = commands.slice(first, first + LOANS_PER_BATCH);
      const outcomes = await pipeline.runBatch(
        loanDecider,
        batch.map(({ index, command, commandId }): StreamCommand<LoanCommand> => ({
          stream: loanStream(servicedLoanId(index)),
          command,
          context: contextOf(commandId),
        })),
      );
      outcomes.forEach((outcome, i) => states.set(batch[i]!.index, outcome.state));
    }
  };
  try {
    const indexes = Array.from({ length: loans }, (_, index) => index);
    await runBatches(indexes.map((index) => ({ index, command: originate(index), commandId: `originate:${servicedLoanId(index)}` })));
    await runBatches(
      indexes.map((index) => {
        const disbursedOn = addDays(FIRST_ORIGINATION, (index % ORIGINATION_DAYS) + 2);
        return { index, command: { kind: 'disburse', disbursedOn, reference: `wire-${index}` }, commandId: `disburse:${servicedLoanId(index)}` };
      }),
    );
    // Instalment by instalment, so that each round touches every paying loan's stream once.
    for (let number = 1; ; number++) {
      const due = indexes.flatMap((index) => {
        if (index % NEVER_PAYS_EVERY === 0) return [];
        const instalment = states.get(index)!.instalments.find((i) => i.number === number);
        if (!instalment || instalment.dueOn > SERVICING_BUSINESS_DATE) return [];
        const paymentId = `seed-${servicedLoanId(index)}-${number}`;
        const amount = formatAmount(instalment.principalDue + instalment.interestDue, CURRENCY);
        const command: LoanCommand = { kind: 'receive-payment', paymentId, amount, receivedOn: instalment.dueOn, channel: 'bank', reference: paymentId };
        return [{ index, command, commandId: `payment:${paymentId}` }];
      });
      if (due.length === 0) break;
      await runBatches(due);
    }
    return { loans, events: await store.headPosition() };
  } finally {
    await store.close();
  }
}
