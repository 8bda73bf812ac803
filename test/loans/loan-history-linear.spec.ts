import fc from 'fast-check';
import { IN_MEMORY, openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { CommandPipeline } from '../../src/kernel/commands/command-pipeline.js';
import { businessClock } from '../../src/kernel/dates/business-clock.js';
import { addDays } from '../../src/kernel/dates/business-date.js';
import type { StoredEvent } from '../../src/kernel/event-store/event-store.port.js';
import { foldStream } from '../../src/kernel/event-store/fold-stream.js';
import { formatAmount } from '../../src/kernel/money/amount.js';
import { LoanAsOf, loanStateAsOf } from '../../src/loans/domain/loan-as-of.js';
import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import { type LoanEvent, loanStream } from '../../src/loans/domain/loan-events.js';
import { type LoanState, evolveLoan, initialLoanState } from '../../src/loans/domain/loan-state.js';
import { GetLoanQuery, GetLoanQueryHandler } from '../../src/loans/queries/get-loan.query.js';
import { REPAYMENT_METHODS } from '../../src/loans/domain/repayment-method.js';
import { disburse, historyOf, originate, pay } from '../fixtures/loans.js';

/**
 * Reading a loan costs work linear in its events (issue 21: GET /loans/{id} grew with the
 * square of its payments, because every payment event copied the payments and principal
 * movements before it). Nothing here is timed: the work is counted, as the elements that
 * reading the loan writes into a Map or steps over in an array — every Map.prototype.set and
 * every step of an array iterator, which is what `new Map(payments)` and
 * `[...movements, movement]` do once per element — for a loan with four times the payments
 * of another. Per event, a linear read does about the same work for both; the quadratic one
 * did four times as much (and more) for the larger loan.
 */

const LOAN_ID = 'L1';
const PAYMENTS_SMALL = 500;
const PAYMENTS_LARGE = 2_000;
/** How much more work per event the larger loan may take: a linear read stays near 1, the quadratic one was 4 and more. */
const PER_EVENT_GROWTH_BOUND = 1.6;

/**
 * A loan two instalments overdue, then paid in 0.50 pieces, many a day for 30 days: each
 * payment pays the oldest instalment's penalty, interest, then principal, so the payments
 * and the first instalment's principal movements both grow with the history.
 */
function overdueLoanPaidInPieces(payments: number): LoanEvent[] {
  const commands: LoanCommand[] = [originate({ loanId: LOAN_ID }), disburse()];
  for (let k = 0; k < payments; k++) commands.push(pay(`P${k}`, '0.50', addDays('2026-04-01', Math.floor((k * 30) / payments))));
  return historyOf(...commands);
}

function stored(events: readonly LoanEvent[]): StoredEvent[] {
  return events.map((event, revision) => ({
    id: `e-${revision}`,
    stream: loanStream(LOAN_ID),
    type: event.type,
    data: event.data,
    metadata: {},
    revision,
    position: revision + 1,
    recordedAt: '2026-05-01T00:00:00.000Z',
  }));
}

/** Counts every Map.prototype.set and every array-iterator step while `work` runs: elements copied or walked. */
async function elementSteps(work: () => unknown): Promise<number> {
  let steps = 0;
  const mapSet = Map.prototype.set;
  const arrayIterator = Object.getPrototypeOf([][Symbol.iterator]()) as { next: (...args: unknown[]) => unknown };
  const next = arrayIterator.next;
  Map.prototype.set = function (this: Map<unknown, unknown>, key: unknown, value: unknown) {
    steps++;
    return mapSet.call(this, key, value);
  };
  arrayIterator.next = function (this: unknown, ...args: unknown[]) {
    steps++;
    return next.apply(this, args);
  };
  try {
    await work();
  } finally {
    Map.prototype.set = mapSet;
    arrayIterator.next = next;
  }
  return steps;
}

/** The loan read as GET /loans/{id} reads it, from a store holding its events (no snapshot: the whole stream is folded). */
async function readOverGet(events: readonly LoanEvent[], query: Partial<Pick<GetLoanQuery, 'asOf' | 'knownAt' | 'payoffOn'>> = {}) {
  const store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
  await store.appendToStream(
    loanStream(LOAN_ID),
    events.map((event, i) => ({ id: `e-${i}`, type: event.type, data: event.data })),
    'no-stream',
  );
  const handler = new GetLoanQueryHandler(store, businessClock('Asia/Shanghai', () => new Date('2026-05-02T12:00:00+08:00')), new CommandPipeline(store, { maxAttempts: 1, cachedAggregates: 10 }));
  return {
    read: () => handler.execute(new GetLoanQuery(LOAN_ID, query.payoffOn, query.asOf, query.knownAt)),
    close: () => store.close(),
  };
}

describe('reading a loan is linear in its history', () => {
  const small = overdueLoanPaidInPieces(PAYMENTS_SMALL);
  const large = overdueLoanPaidInPieces(PAYMENTS_LARGE);

  it('the loans tell what they are meant to: payments and principal movements that grow with the history', () => {
    const state = foldStream(loanDecider, stored(large));
    expect(state.payments.size).toBe(PAYMENTS_LARGE);
    expect(state.instalments[0]!.principalMovements.length).toBeGreaterThan(PAYMENTS_LARGE / 2);
    expect(large.length).toBeGreaterThan(3.5 * small.length);
  });

  const perEvent = async (events: readonly LoanEvent[], read: (events: readonly LoanEvent[]) => unknown) =>
    (await elementSteps(() => read(events))) / events.length;

  it.each([
    ['folding its stream (foldStream, as a command loads a stream with no snapshot)', (events: readonly LoanEvent[]) => foldStream(loanDecider, stored(events))],
    ['as of a date (LoanAsOf)', (events: readonly LoanEvent[]) => loanStateAsOf(events, '2026-04-30')],
  ])('%s: the work per event stays the same with four times the payments', async (_name, read) => {
    read(small); // once unmeasured, so that nothing done once per process counts
    const growth = (await perEvent(large, read)) / (await perEvent(small, read));
    expect(growth).toBeLessThan(PER_EVENT_GROWTH_BOUND);
  });

  it.each([
    ['GET /loans/{id}', {}],
    ['GET /loans/{id}?asOf=', { asOf: '2026-04-30' }],
    ['GET /loans/{id}?knownAt=', { knownAt: '2099-01-01T00:00:00Z' }],
  ])('%s, from the store: the work per event stays the same with four times the payments', async (_name, query) => {
    // Each read measured is the first of its engine, so nothing of the loan is kept from an earlier one; one unmeasured before.
    const steps = async (events: readonly LoanEvent[], measured: boolean) => {
      const engine = await readOverGet(events, query);
      try {
        return measured ? await elementSteps(() => engine.read()) : (await engine.read(), 0);
      } finally {
        await engine.close();
      }
    };
    await steps(small, false);
    const growth = (await steps(large, true)) / large.length / ((await steps(small, true)) / small.length);
    expect(growth).toBeLessThan(PER_EVENT_GROWTH_BOUND);
  });
});

describe('a fold that extends in place what it owns gives what evolving event by event gives', () => {
  /** A loan's life: payments (some reversed, some beyond the payoff and refunded) and closes of business on increasing dates. */
  const loanLife = fc
    .record({
      termMonths: fc.integer({ min: 1, max: 12 }),
      method: fc.constantFrom(...REPAYMENT_METHODS),
      steps: fc.array(
        fc.record({ kind: fc.constantFrom('pay', 'pay', 'close', 'reverse', 'refund'), afterDays: fc.integer({ min: 0, max: 40 }), amount: fc.integer({ min: 1, max: 900_000 }) }),
        { maxLength: 40 },
      ),
    })
    .map(({ termMonths, method, steps }) => {
      const commands: LoanCommand[] = [originate({ termMonths, repaymentMethod: method }), disburse()];
      let on = '2026-01-15';
      steps.forEach(({ kind, afterDays, amount }, index) => {
        on = addDays(on, afterDays);
        if (kind === 'pay') commands.push(pay(`P${index}`, formatAmount(amount, 'CNY'), on));
        if (kind === 'close') commands.push({ kind: 'close-business-day', businessDate: on });
        if (kind === 'reverse') commands.push({ kind: 'reverse-payment', paymentId: `P${index - 1}`, reason: 'returned', reversedOn: on });
        if (kind === 'refund') commands.push({ kind: 'refund-overpayment', refundId: `R${index}`, amount: formatAmount(Math.min(amount, 1_000), 'CNY'), refundedOn: on, reference: `r${index}` });
      });
      return commands;
    });

  /** The events the commands make (refused ones leave none), and every state between them, evolved one event at a time. */
  function lived(commands: readonly LoanCommand[]): { events: LoanEvent[]; states: LoanState[] } {
    const events: LoanEvent[] = [];
    const states: LoanState[] = [initialLoanState()];
    for (const command of commands) {
      let decided: readonly LoanEvent[];
      try {
        decided = loanDecider.decide(command, states.at(-1)!);
      } catch {
        continue;
      }
      for (const event of decided) {
        events.push(event);
        states.push(evolveLoan(states.at(-1)!, event));
      }
    }
    return { events, states };
  }

  const snapshotOf = (state: LoanState) => JSON.stringify(loanDecider.snapshotting!.toSnapshot(state));

  it('from the first event, from any state on the way, and as of any date; leaving the state it started from as it was', () => {
    fc.assert(
      fc.property(loanLife, fc.nat(), (commands, cut) => {
        const { events, states } = lived(commands);
        expect(loanDecider.fold!(initialLoanState(), events)).toEqual(states.at(-1));
        const from = cut % states.length;
        const before = snapshotOf(states[from]!);
        expect(loanDecider.fold!(states[from]!, events.slice(from))).toEqual(states.at(-1));
        expect(snapshotOf(states[from]!)).toBe(before);
        const on = addDays('2026-01-15', cut % 400);
        const oneByOne = new LoanAsOf(on);
        const seen: Array<{ state: LoanState; snapshot: string }> = [];
        for (const event of events) {
          oneByOne.apply(event);
          // A state handed out mid-fold never changes afterwards.
          if (seen.length < 3 && event.type === 'PaymentReceived') seen.push({ state: oneByOne.state, snapshot: snapshotOf(oneByOne.state) });
        }
        expect(loanStateAsOf(events, on)).toEqual(oneByOne.state);
        for (const { state, snapshot } of seen) expect(snapshotOf(state)).toBe(snapshot);
      }),
      { numRuns: 120 },
    );
  });
});
