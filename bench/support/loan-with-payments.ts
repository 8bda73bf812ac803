/**
 * Loans with long histories for the loan-history benchmark: one loan per size, each repaid
 * in that many small payments spread evenly over its year (a borrower paying by the day or
 * the hour), slightly short of the schedule, so the loan is still open and its last
 * instalment overdue when read: the view then quotes a payoff with penalty accrued on it.
 *
 * Every event is what the loan decider decided, command by command, on the state its
 * earlier events fold to, written with the ids, metadata and last snapshot the command
 * pipeline would have given them, straight into the store: far faster than over HTTP.
 */
import { EVENT_SCHEMAS } from '../../src/app/event-schemas.js';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import type { CommandContext } from '../../src/kernel/commands/command-context.js';
import { commandHash } from '../../src/kernel/commands/command-hash.js';
import { prepareAppend } from '../../src/kernel/commands/prepare-append.js';
import { type BusinessDate, addDays } from '../../src/kernel/dates/business-date.js';
import type { EventToAppend } from '../../src/kernel/event-store/event-store.port.js';
import { formatAmount } from '../../src/kernel/money/amount.js';
import { isSnapshotDue } from '../../src/kernel/snapshotting.js';
import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import { type LoanEvent, loanStream } from '../../src/loans/domain/loan-events.js';
import { type FoldOwned, type LoanState, evolveLoanIn } from '../../src/loans/domain/loan-state.js';
import { benchOrigination } from './bench-origination.js';

const ORIGINATED_ON: BusinessDate = '2025-01-02';
const DISBURSED_ON: BusinessDate = '2025-01-03';
const PRINCIPAL = '10000.00';
/** The payments add up to this share of what the schedule asks: the last instalment stays partly unpaid. */
const SHARE_OF_SCHEDULE_PAID = 0.995;
const PAYMENT_DAYS = 365;
const EVENTS_PER_APPEND = 2_000;

export const loanWithPaymentsId = (payments: number) => `LH${payments}`;

/** The k-th of `payments` payments of `amount` (minor units), spread evenly over the year after disbursement. */
function payment(loanId: string, k: number, payments: number, amount: number): { commandId: string; command: LoanCommand } {
  const paymentId = `P${k}`;
  return {
    commandId: paymentId,
    command: {
      kind: 'receive-payment',
      paymentId,
      amount: formatAmount(amount, 'CNY'),
      receivedOn: addDays(DISBURSED_ON, 1 + Math.floor((k * PAYMENT_DAYS) / payments)),
      channel: 'bank',
      reference: `${loanId}-${paymentId}`,
    },
  };
}

/** The events as the command pipeline writes them (prepareAppend): ids derived from the command's, its hash and context in their metadata. */
function toAppend(stream: string, commandId: string, command: LoanCommand, events: readonly LoanEvent[]): EventToAppend[] {
  const context: CommandContext = { commandId, correlationId: commandId, causationId: commandId, actor: 'bench-seed' };
  return prepareAppend(events, { stream, context, commandHash: commandHash(command), schemas: EVENT_SCHEMAS });
}

/**
 * Writes one loan per size into a new event store file, with the snapshot the command
 * pipeline would have kept last (it keeps one once `everyEvents` events lie past the
 * previous one); returns each loan's id and event count.
 */
export async function seedLoansWithPayments(
  path: string,
  sizes: readonly number[],
  onProgress?: (loanId: string, events: number) => void,
): Promise<Array<{ payments: number; loanId: string; events: number }>> {
  const store = new SqliteEventStore(openSqliteDatabase(path, 'OFF'));
  const snapshotting = loanDecider.snapshotting!;
  const seeded: Array<{ payments: number; loanId: string; events: number }> = [];
  try {
    for (const payments of sizes) {
      const loanId = loanWithPaymentsId(payments);
      const stream = loanStream(loanId);
      const events: EventToAppend[] = [];
      let state = loanDecider.initialState();
      // The state is handed to no one between commands but the decider, which only reads it: one fold all along (FoldOwned),
      // renewed where a snapshot keeps the state.
      let owned: FoldOwned = new WeakSet();
      let snapshot: { revision: number; state: LoanState } | undefined;
      const run = ({ commandId, command }: { commandId: string; command: LoanCommand }) => {
        const decided = loanDecider.decide(command, state);
        for (const event of decided) state = evolveLoanIn(state, event, owned);
        events.push(...toAppend(stream, commandId, command, decided));
        const revision = events.length - 1;
        if (isSnapshotDue(snapshotting, revision - (snapshot?.revision ?? -1))) {
          snapshot = { revision, state };
          owned = new WeakSet();
        }
      };
      run({ commandId: `originate:${loanId}`, command: { ...benchOrigination(0, ORIGINATED_ON, PRINCIPAL), loanId, borrowerId: `B-${loanId}` } as LoanCommand });
      run({ commandId: `disburse:${loanId}`, command: { kind: 'disburse', disbursedOn: DISBURSED_ON, reference: `wire-${loanId}` } });
      const scheduled = state.instalments.reduce((sum, i) => sum + i.principalDue + i.interestDue, 0);
      const amount = Math.max(1, Math.round((scheduled * SHARE_OF_SCHEDULE_PAID) / payments));
      for (let k = 0; k < payments; k++) run(payment(loanId, k, payments, amount));

      // In appends of at most EVENTS_PER_APPEND events, one of them ending where the snapshot was taken, and keeping it.
      for (let first = 0; first < events.length; ) {
        const snapshotEnd = snapshot && snapshot.revision >= first ? snapshot.revision + 1 : events.length;
        const end = Math.min(first + EVENTS_PER_APPEND, snapshotEnd, events.length);
        const keeps = snapshot !== undefined && end === snapshot.revision + 1;
        await store.appendToStream(stream, events.slice(first, end), first === 0 ? 'no-stream' : first - 1, {
          ...(keeps && { snapshot: { schema: snapshotting.schema, state: snapshotting.toSnapshot(snapshot!.state) } }),
        });
        first = end;
      }
      seeded.push({ payments, loanId, events: events.length });
      onProgress?.(loanId, events.length);
    }
    return seeded;
  } finally {
    await store.close();
  }
}
