/**
 * The reference model checked against figures computed by hand from the rules (not by the
 * engine): if these fail, the model is wrong, whatever the engine says.
 */
import { LENDING_POLICY_PRESETS } from '../../src/policies/lending-policy.js';
import {
  type ModelCommand,
  type ModelState,
  amortise,
  initialModel,
  modelBalances,
  modelDaysPastDue,
  modelDecide,
  modelPayoffQuote,
  periodInterest,
  plusMonths,
  scheduleOf,
  settledCount,
} from './loan-model.js';

const policy = LENDING_POLICY_PRESETS.default;

function run(...commands: ModelCommand[]): ModelState {
  let state = initialModel();
  for (const command of commands) {
    const result = modelDecide(state, command);
    if (!result.ok) throw new Error(`refused ${command.kind}: ${result.reason}`);
    state = result.state;
  }
  return state;
}
const refusal = (state: ModelState, command: ModelCommand) => {
  const result = modelDecide(state, command);
  return result.ok ? undefined : result.reason;
};

const originate = (over: Partial<Extract<ModelCommand, { kind: 'originate' }>> = {}): ModelCommand => ({
  kind: 'originate',
  currency: 'CNY',
  principal: '3000.00',
  annualInterestRate: '0.12',
  termMonths: 3,
  repaymentMethod: 'equal-principal',
  originatedOn: '2026-01-10',
  policy,
  ...over,
});
const disburse = (disbursedOn = '2026-01-15'): ModelCommand => ({ kind: 'disburse', disbursedOn });
const pay = (paymentId: string, amount: string, receivedOn: string, prepayment?: 'shorten-term' | 'reduce-instalment'): ModelCommand => ({
  kind: 'receive-payment',
  paymentId,
  amount,
  receivedOn,
  ...(prepayment ? { prepayment } : {}),
});
const cob = (businessDate: string): ModelCommand => ({ kind: 'close-business-day', businessDate });
const rows = (state: ModelState) => modelBalances(state).instalments.map(({ principal, interest, penalty }) => [principal, interest, penalty]);

describe('loan reference model: schedules', () => {
  it('equal-installment: 12,000.00 at 18% over 12 months pays 1,100.16 a month (README)', () => {
    const schedule = amortise(1_200_000, 12, 'equal-installment', '0.18', 'half-up');
    expect(schedule[0]).toEqual({ principal: 110_016 - 18_000, interest: 18_000 });
    expect(schedule.slice(0, 11).every((p) => p.principal + p.interest === 110_016)).toBe(true);
    expect(schedule.reduce((s, p) => s + p.principal, 0)).toBe(1_200_000);
  });

  it('equal-installment: 1,200.00 at 12% over 3 months (by hand: 1200·0.01/(1−1.01⁻³) = 408.0266 → 408.03)', () => {
    expect(amortise(120_000, 3, 'equal-installment', '0.12', 'half-up')).toEqual([
      { principal: 39_603, interest: 1_200 },
      { principal: 39_999, interest: 804 }, // 803.97 → 8.04
      { principal: 40_398, interest: 404 }, // 403.98 → 4.04; the last takes the remaining principal
    ]);
  });

  it('equal-principal: 10,000.00 at 12% over 3: 3,333.33 ×2 and the remainder; interest on the opening balance', () => {
    expect(amortise(1_000_000, 3, 'equal-principal', '0.12', 'half-up')).toEqual([
      { principal: 333_333, interest: 10_000 },
      { principal: 333_333, interest: 6_667 },
      { principal: 333_334, interest: 3_333 },
    ]);
  });

  it('interest-only: interest every month, all principal with the last', () => {
    expect(amortise(500_000, 2, 'interest-only', '0.06', 'half-up')).toEqual([
      { principal: 0, interest: 2_500 },
      { principal: 500_000, interest: 2_500 },
    ]);
  });

  it('a French loan at 0% is repaid as equal principal', () => {
    expect(amortise(100_000, 3, 'equal-installment', '0', 'half-up')).toEqual([
      { principal: 33_333, interest: 0 },
      { principal: 33_333, interest: 0 },
      { principal: 33_334, interest: 0 },
    ]);
  });

  it('rounds half-up or half-even as the policy says, multiplying before dividing', () => {
    expect(periodInterest(50, '0.12', 'half-up')).toBe(1); // 0.5
    expect(periodInterest(50, '0.12', 'half-even')).toBe(0);
    expect(periodInterest(150, '0.12', 'half-even')).toBe(2); // 1.5
  });

  it('due dates: same day of month from the disbursement date, clamped to the month end', () => {
    expect([1, 2, 3, 13].map((k) => plusMonths('2026-01-31', k))).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2027-02-28']);
    expect(plusMonths('2027-12-29', 2)).toBe('2028-02-29');
    const terms = { currency: 'CNY', principal: 300_000, annualRate: '0.12', termMonths: 3, method: 'equal-principal' as const, gracePeriodDays: 3, penaltyRate: '0.18', rounding: 'half-up' as const, penaltyFromPolicy: false, penaltyMultiplier: '1.5', costCap: '0.24' };
    expect(scheduleOf(terms, '2026-01-31').map((s) => s.dueOn)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
  });

  it('settled instalments: the current one too, except on a due date', () => {
    const dues = [{ dueOn: '2026-02-15' }, { dueOn: '2026-03-15' }, { dueOn: '2026-04-15' }];
    expect(settledCount(dues, '2026-01-20')).toBe(1);
    expect(settledCount(dues, '2026-02-15')).toBe(1);
    expect(settledCount(dues, '2026-02-16')).toBe(2);
    expect(settledCount(dues, '2026-04-15')).toBe(3);
    expect(settledCount(dues, '2026-05-01')).toBe(3);
  });
});

describe('loan reference model: penalty, payments, reversal, refund, write-off', () => {
  // 3,000.00 at 12% over 3 months, equal principal: 1,000.00 a month plus 30.00, 20.00, 10.00.
  // Penalty rate min(0.12 × 1.5, 0.24) = 0.18: 1,000.00 overdue costs 0.50 a day. Grace 3 days.
  const base = () => run(originate(), disburse());

  it('default penalty rate and the schedule', () => {
    const state = base();
    expect(state.terms!.penaltyRate).toBe('0.18');
    expect(state.terms!.gracePeriodDays).toBe(3);
    expect(rows(state)).toEqual([
      [100_000, 3_000, 0],
      [100_000, 2_000, 0],
      [100_000, 1_000, 0],
    ]);
  });

  it('missed after the grace days; penalty from the day after the due date, grace days included', () => {
    const before = run(originate(), disburse(), cob('2026-02-17'));
    expect(before.instalments[0]!.missedOn).toBeUndefined();
    expect(rows(before)[0]![2]).toBe(0);
    const missed = run(originate(), disburse(), cob('2026-02-18'));
    expect(missed.instalments[0]!.missedOn).toBe('2026-02-18');
    expect(rows(missed)[0]![2]).toBe(150); // 16, 17, 18 February
    // A catch-up over many days posts what daily runs would.
    const daily = run(originate(), disburse(), ...['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'].map(cob));
    const once = run(originate(), disburse(), cob('2026-02-20'));
    expect(rows(once)).toEqual(rows(daily));
    expect(rows(once)[0]![2]).toBe(250);
  });

  it('a payment first posts penalty through the day before, pays penalty → interest → principal; its day is charged on the base after it', () => {
    const state = run(originate(), disburse(), pay('P1', '500.00', '2026-02-20'));
    // Through 19 February: 4 days × 0.50 = 2.00; then 30.00 interest; 468.00 principal.
    expect(state.payments.P1!.applied).toEqual([{ number: 1, penalty: 200, interest: 3_000, principal: 46_800 }]);
    expect(rows(state)[0]).toEqual([53_200, 0, 0]);
    // 20 and 21 February on 532.00: 100,000 × 4 + 53,200 × 2 = 506,400 × 0.18 / 360 = 253.2 → 2.53 posted, 0.53 owed.
    expect(rows(run(originate(), disburse(), pay('P1', '500.00', '2026-02-20'), cob('2026-02-21')))[0]).toEqual([53_200, 0, 53]);
  });

  it('payoff on a due date owes nothing for the next period; the day after it does', () => {
    const state = base();
    expect(modelPayoffQuote(state, '2026-02-15')).toBe(303_000);
    // One day of #2's period (15 Feb → 15 Mar, 28 days) borrowed: round(20.00 × 1/28) = 0.71.
    expect(modelPayoffQuote(state, '2026-02-16')).toBe(303_071);
    const paid = run(originate(), disburse(), pay('P1', '3030.00', '2026-02-15'));
    expect(paid.status).toBe('paid-off');
    expect(paid.overpaymentHeld).toBe(0);
    expect(modelDaysPastDue(paid, '2026-03-20')).toBe(0);
  });

  it('equal principal prepayment: shorten-term keeps each principal, reduce-instalment spreads the rest', () => {
    // 20 Jan is 5 days into #1's 31-day period: round(30.00 × 5/31) = 4.84 of interest, #1's 1,000.00, and
    // 525.16 prepaid (from #3): 1,474.84 left. #1 then owes round(30.00 × 1,474.84/3,000.00 × 26/31) = 12.37 on 15 Feb.
    const shorten = run(originate(), disburse(), pay('P1', '1530.00', '2026-01-20'));
    expect(shorten.payments.P1!.applied).toEqual([{ number: 1, penalty: 0, interest: 484, principal: 100_000 }]);
    // Keep 1,000.00 a month: 1,000.00 + 14.75 (1% of 1,474.84), then 474.84 + 4.75.
    expect(rows(shorten)).toEqual([
      [0, 1_237, 0],
      [100_000, 1_475, 0],
      [47_484, 475, 0],
    ]);
    const reduce = run(originate(), disburse(), pay('P1', '1530.00', '2026-01-20', 'reduce-instalment'));
    // 1,474.84 over 2: 737.42 each, 14.75 then 7.37 (1% of 737.42).
    expect(rows(reduce)).toEqual([
      [0, 1_237, 0],
      [73_742, 1_475, 0],
      [73_742, 737, 0],
    ]);
  });

  it('equal-installment prepayment: 1,200.00 at 12% over 3, 600.00 on 20 January', () => {
    const loan = originate({ principal: '1200.00', repaymentMethod: 'equal-installment' });
    // Instalment 1 (396.03 + 12.00) is current, 5 of 31 days in: round(12.00 × 5/31) = 1.94 of interest and
    // 396.03; 202.03 prepaid of 803.97 → 601.94 left. #1 then owes round(12.00 × 601.94/1,200.00 × 26/31) = 5.05.
    // reduce-instalment: level payment 601.94 × 0.01 / (1 − 1.01⁻²) = 305.49 over 2: 6.02 + 299.47, 3.02 + 302.47.
    expect(rows(run(loan, disburse(), pay('P1', '600.00', '2026-01-20', 'reduce-instalment')))).toEqual([
      [0, 505, 0],
      [29_947, 602, 0],
      [30_247, 302, 0],
    ]);
    // shorten-term: keep L = 399.99 + 8.04 = 408.03: 6.02 + 402.01, then 2.00 (199.93 × 1%) + 199.93.
    expect(rows(run(loan, disburse(), pay('P1', '600.00', '2026-01-20')))).toEqual([
      [0, 505, 0],
      [40_201, 602, 0],
      [19_993, 200, 0],
    ]);
  });

  it('interest-only prepayment: interest on what is left, all principal with the last', () => {
    const loan = originate({ repaymentMethod: 'interest-only' });
    // 3,000.00 at 1% a month: 30.00 interest; 1,030.00 on 20 Jan (5 of 31 days): round(30.00 × 5/31) = 4.84 +
    // 1,025.16 prepaid → 1,974.84: #1 owes round(30.00 × 1,974.84/3,000.00 × 26/31) = 16.56 more, then 19.75 a month.
    expect(rows(run(loan, disburse(), pay('P1', '1030.00', '2026-01-20')))).toEqual([
      [0, 1_656, 0],
      [0, 1_975, 0],
      [197_484, 1_975, 0],
    ]);
  });

  it('a reversal undoes the allocation and the re-amortisation, and the principal is penalised again from its date', () => {
    const paid = run(originate(), disburse(), pay('P1', '1530.00', '2026-01-20', 'reduce-instalment'));
    const undone = modelDecide(paid, { kind: 'reverse-payment', paymentId: 'P1', reversedOn: '2026-02-20' });
    if (!undone.ok) throw new Error(undone.reason);
    expect(rows(undone.state)).toEqual(rows(base()));
    // That payment left 12.37 of #1's interest due on 15 Feb (see above): #1 was missed on 18 Feb all the same.
    expect(undone.state.instalments[0]!.missedOn).toBe('2026-02-18');
    // The payoff on 20 Jan (3,000.00 + round(30.00 × 5/31) = 4.84) settled #1: reversed on 20 Feb, it is missed
    // no earlier than that day (grace ended 18 Feb); penalty from 16 Feb on the base of each day: 0 until 19 Feb,
    // 1,000.00 on 20–21 Feb.
    const paidOff = run(originate(), disburse(), pay('P1', '3004.84', '2026-01-20', 'reduce-instalment'));
    expect(paidOff.status).toBe('paid-off');
    const reversed = modelDecide(paidOff, { kind: 'reverse-payment', paymentId: 'P1', reversedOn: '2026-02-20' });
    if (!reversed.ok) throw new Error(reversed.reason);
    expect(rows(reversed.state)).toEqual(rows(base()));
    const after = modelDecide(reversed.state, cob('2026-02-21'));
    if (!after.ok) throw new Error(after.reason);
    expect(after.state.instalments[0]!.missedOn).toBe('2026-02-20');
    expect(rows(after.state)[0]).toEqual([100_000, 3_000, 100]);
    expect(modelDaysPastDue(after.state, '2026-02-21')).toBe(6);
  });

  it('overpayment is held, refunded, and a reversal of a refunded overpayment is refused; a payment after payoff is all overpayment', () => {
    const over = run(originate(), disburse(), pay('P1', '3500.00', '2026-02-15'));
    expect(over.status).toBe('paid-off');
    expect(over.overpaymentHeld).toBe(47_000);
    const refunded = run(originate(), disburse(), pay('P1', '3500.00', '2026-02-15'), { kind: 'refund-overpayment', refundId: 'R1', amount: '400.00', refundedOn: '2026-02-16' });
    expect(refunded.overpaymentHeld).toBe(7_000);
    expect(refusal(refunded, { kind: 'refund-overpayment', refundId: 'R2', amount: '70.01', refundedOn: '2026-02-16' })).toBe('refund exceeds overpayment held');
    expect(refusal(refunded, { kind: 'reverse-payment', paymentId: 'P1', reversedOn: '2026-02-16' })).toBe('overpayment already refunded');
    const after = run(originate(), disburse(), pay('P1', '3030.00', '2026-02-15'), pay('P2', '10.00', '2026-03-01'));
    expect(after.overpaymentHeld).toBe(1_000);
    expect(rows(after).flat().every((x) => x === 0)).toBe(true);
    // P1 prepaid 2,000.00 (instalments 2 and 3): refused while P2, recorded after it, stands.
    expect(refusal(after, { kind: 'reverse-payment', paymentId: 'P1', reversedOn: '2026-03-02' })).toBe('a later payment stands on this prepayment');
    // Reversing the later overpayment does not reopen the loan; then reversing P1 does.
    const stays = modelDecide(after, { kind: 'reverse-payment', paymentId: 'P2', reversedOn: '2026-03-02' });
    expect(stays.ok && [stays.state.status, stays.state.overpaymentHeld]).toEqual(['paid-off', 0]);
    const reopened = stays.ok ? modelDecide(stays.state, { kind: 'reverse-payment', paymentId: 'P1', reversedOn: '2026-03-02' }) : stays;
    expect(reopened.ok && reopened.state.status).toBe('active');
    expect(reopened.ok && rows(reopened.state)).toEqual(rows(base()));
    expect(refusal(after, pay('P1', '1.00', '2026-03-02'))).toBe('duplicate payment id');
  });

  it('a payment without prepayment can be reversed while later payments stand', () => {
    const state = run(originate(), disburse(), pay('P1', '500.00', '2026-02-20'), pay('P2', '100.00', '2026-02-25'));
    const reversed = modelDecide(state, { kind: 'reverse-payment', paymentId: 'P1', reversedOn: '2026-02-26' });
    expect(reversed.ok).toBe(true);
  });

  it('write-off posts penalty through its date, cancels interest due after it, then stops accrual; recoveries pay oldest first; DPD keeps counting', () => {
    const written = run(originate(), disburse(), cob('2026-02-18'), { kind: 'write-off', writeOffId: 'W1', writtenOffOn: '2026-02-20' }, cob('2026-03-30'));
    expect(written.status).toBe('written-off');
    expect(rows(written)[0]).toEqual([100_000, 3_000, 250]);
    // Due 15 March and 15 April, after the write-off: interest no longer owed; principal is.
    expect(rows(written)[1]).toEqual([100_000, 0, 0]);
    expect(rows(written)[2]).toEqual([100_000, 0, 0]);
    expect(modelDaysPastDue(written, '2026-03-30')).toBe(43);
    const recovered = modelDecide(written, pay('P1', '10.00', '2026-04-01'));
    if (!recovered.ok) throw new Error(recovered.reason);
    expect(rows(recovered.state)[0]).toEqual([100_000, 2_250, 0]);
    expect(recovered.state.status).toBe('written-off');
    // A recovery larger than everything owed: all of it paid, the rest held; nothing prepaid.
    const big = modelDecide(written, pay('P1', '4000.00', '2026-04-01'));
    if (!big.ok) throw new Error(big.reason);
    expect(rows(big.state).flat().every((x) => x === 0)).toBe(true);
    expect(big.state.overpaymentHeld).toBe(400_000 - 303_250); // owed: 1,032.50 + 1,000.00 + 1,000.00
    expect(big.state.status).toBe('written-off');
  });

  it('write-off with no close run: the write-off date is closed first (the miss and its penalty)', () => {
    // Missed on 18 February (grace 3); penalty 16–20 February: 5 × 0.50.
    const written = run(originate(), disburse(), { kind: 'write-off', writeOffId: 'W1', writtenOffOn: '2026-02-20' });
    expect(written.instalments[0]!.missedOn).toBe('2026-02-18');
    expect(rows(written)[0]).toEqual([100_000, 3_000, 250]);
    // Written off on a due date: that instalment's interest stays owed (due on, not after, the date).
    const onDue = run(originate(), disburse(), { kind: 'write-off', writeOffId: 'W1', writtenOffOn: '2026-03-15' });
    expect(rows(onDue).map((r) => r[1])).toEqual([3_000, 2_000, 0]);
  });

  it('penalty waivers: catch-up through the day before, oldest first, never more than outstanding', () => {
    const waive = (waiverId: string, waivedOn: string, amount: string): ModelCommand => ({ kind: 'waive-penalty', waiverId, waivedOn, amount });
    // 5 missed days on instalment 1 by 20 Feb (through 19 Feb: 4 × 0.50 = 2.00).
    const state = run(originate(), disburse());
    expect(refusal(state, waive('W1', '2026-02-18', 'all'))).toBe('no penalty outstanding'); // through 17 Feb: not yet missed
    expect(refusal(state, waive('W1', '2026-02-20', '2.01'))).toBe('waiver exceeds penalty outstanding');
    const part = run(originate(), disburse(), waive('W1', '2026-02-20', '1.50'));
    expect(rows(part)[0]).toEqual([100_000, 3_000, 50]);
    // Penalty keeps accruing on the overdue principal: 20 and 21 February, 2 × 0.50.
    expect(rows(run(originate(), disburse(), waive('W1', '2026-02-20', '1.50'), cob('2026-02-21')))[0]).toEqual([100_000, 3_000, 150]);
    const all = run(originate(), disburse(), waive('W1', '2026-02-20', 'all'));
    expect(rows(all)[0]).toEqual([100_000, 3_000, 0]);
    // #1, #2 (current: its principal and round(20.00 × 5/28) = 3.57 for 15–20 Feb), #3 principal.
    expect(modelPayoffQuote(all, '2026-02-20')).toBe(103_000 + 100_357 + 100_000);
    // Oldest first across instalments: through 19 March, #1 has 32 days (16 Feb–19 Mar) = 16.00 posted; #2 (due 15 Mar, missed 18 Mar) 4 days = 2.00.
    const two = run(originate(), disburse(), waive('W1', '2026-03-20', '17.00'));
    expect(rows(two).map((r) => r[2])).toEqual([0, 100, 0]);
  });

  it('penalty waivers are refused before disbursement, before the latest payment, before penalty already posted', () => {
    const waive = (waivedOn: string): ModelCommand => ({ kind: 'waive-penalty', waiverId: 'W1', waivedOn, amount: 'all' });
    expect(refusal(run(originate()), waive('2026-02-20'))).toBe('not disbursed');
    expect(refusal(run(originate(), disburse()), waive('2026-01-14'))).toBe('waiver before disbursement');
    const paid = run(originate(), disburse(), pay('P1', '1.00', '2026-02-25'));
    expect(refusal(paid, waive('2026-02-24'))).toBe('waiver before the latest payment');
    expect(refusal(paid, waive('2026-02-25'))).toBeUndefined();
    const closed = run(originate(), disburse(), cob('2026-02-25'));
    expect(refusal(closed, waive('2026-02-24'))).toBe('waiver before penalty already posted');
    // On the day penalty was posted through: nothing more is posted first; 10 days × 0.50 waived.
    const onDay = modelDecide(closed, waive('2026-02-25'));
    expect(onDay.ok && rows(onDay.state)[0]).toEqual([100_000, 3_000, 0]);
    expect(onDay.ok && onDay.state.instalments[0]!.penaltyWaived).toBe(500);
  });

  it('penalty is posted through a day only on instalments with overdue principal that day', () => {
    const waive = (waivedOn: string): ModelCommand => ({ kind: 'waive-penalty', waiverId: 'W1', waivedOn, amount: 'all' });
    // #1 paid in full on 22 Feb (penalty 16–21 Feb: 3.00); the close of 1 March posts nothing on it,
    // so a waiver on 28 February is not refused as back-dated (only for there being no penalty).
    const state = run(originate(), disburse(), cob('2026-02-20'), pay('P1', '1033.00', '2026-02-22'), cob('2026-03-01'));
    expect(rows(state)[0]).toEqual([0, 0, 0]);
    expect(state.instalments[0]!.penaltyPostedThrough).toBe('2026-02-21');
    expect(refusal(state, waive('2026-02-28'))).toBe('no penalty outstanding');
    // A part payment leaves principal overdue: the close of 1 March posts through 1 March.
    const part = run(originate(), disburse(), cob('2026-02-20'), pay('P1', '1000.00', '2026-02-22'), cob('2026-03-01'));
    expect(part.instalments[0]!.penaltyPostedThrough).toBe('2026-03-01');
    expect(refusal(part, waive('2026-02-28'))).toBe('waiver before penalty already posted');
  });
});

describe('loan reference model: restructuring', () => {
  type Restructure = Extract<ModelCommand, { kind: 'restructure' }>;
  const restructure = (effectiveOn: string, over: Partial<Restructure> = {}): ModelCommand => ({
    kind: 'restructure',
    restructuringId: 'RS1',
    effectiveOn,
    capitalise: true,
    ...over,
  });
  const numbered = (state: ModelState) => modelBalances(state).instalments.map(({ number, dueOn, principal, interest, penalty }) => [number, dueOn, principal, interest, penalty]);

  it('capitalised: unpaid principal + overdue interest + penalty through the day before, over the new term at the new rate; old interest not yet due is forgone', () => {
    // 3,000.00 at 12%, equal principal ×3 from 15 Jan; #1 (due 15 Feb) missed 18 Feb; penalty 16–28 Feb: 13 × 0.50 = 6.50.
    const state = run(originate(), disburse(), restructure('2026-03-01', { termMonths: 2, annualInterestRate: '0.06' }));
    // Base 3,000.00 + 30.00 (#1's interest; #2's 20.00, due 15 March, is forgone) + 6.50 = 3,036.50.
    // Equal principal at 6%: 1,518.25 → 1,518.25 ×2; interest 3,036.50 × 0.005 = 15.1825 → 15.18, 1,518.25 × 0.005 = 7.59.
    expect(numbered(state)).toEqual([
      [1, '2026-02-15', 0, 0, 0],
      [2, '2026-03-15', 0, 0, 0],
      [3, '2026-04-15', 0, 0, 0],
      [4, '2026-04-01', 151_825, 1_518, 0],
      [5, '2026-05-01', 151_825, 759, 0],
    ]);
    expect(modelDaysPastDue(state, '2026-03-01')).toBe(0);
    expect(state.terms!.penaltyRate).toBe('0.09'); // policy default: min(6% × 1.5, 24%)
    // #4 missed 4 April; penalty 2–10 April at 9%: 9 × 1,518.25 × 0.09 / 360 = 3.4160625 → 3.42.
    const later = run(originate(), disburse(), restructure('2026-03-01', { termMonths: 2, annualInterestRate: '0.06' }), cob('2026-04-10'));
    expect(numbered(later)[3]).toEqual([4, '2026-04-01', 151_825, 1_518, 342]);
    expect(modelDaysPastDue(later, '2026-04-10')).toBe(9);
    expect(numbered(later).slice(0, 3).every((r) => r[2] === 0 && r[3] === 0 && r[4] === 0)).toBe(true);
  });

  it('not capitalised, with a holiday and no term: overdue interest and penalty owed with the first new instalment; as many months as old instalments left', () => {
    const state = run(originate(), disburse(), restructure('2026-03-01', { paymentHolidayMonths: 2, capitalise: false }));
    // #2 and #3 fall due after 1 March with principal unpaid: 2 months, from 1 May (as if disbursed then), at 12%.
    expect(numbered(state).slice(3)).toEqual([
      [4, '2026-06-01', 150_000, 3_000 + 3_000, 650],
      [5, '2026-07-01', 150_000, 1_500, 0],
    ]);
    expect(state.terms!.penaltyRate).toBe('0.18');
    // Paying on 2 March: #4 is the current instalment (the old #2 and #3 owe nothing), #5 only its principal.
    // #4's period (1 May → 1 June) has not begun in the holiday: none of its own 30.00 is owed yet, only the
    // 30.00 carried (fell due 15 Feb) and the 6.50 penalty.
    expect(modelPayoffQuote(state, '2026-03-02')).toBe(150_000 + 3_000 + 650 + 150_000);
    const paid = modelDecide(state, pay('P1', '100.00', '2026-03-02'));
    // 100.00 is less than #4 as scheduled (1,500.00 + 60.00 + 6.50): it pays #4 as scheduled, penalty 6.50, its
    // 60.00 interest (the carried 30.00 and its own 30.00), then 33.50 of principal; nothing is prepaid.
    expect(paid.ok && numbered(paid.state)[3]).toEqual([4, '2026-06-01', 150_000 - 3_350, 0, 0]);
    // 1,600.00 reaches beyond #4: the payment owes the carried 30.00 and none of #4's own 30.00 (its period has not
    // begun), pays #4's 1,500.00 and prepays 63.50 of #5: 1,436.50 of 3,000.00 left, so #4's period will owe
    // round(30.00 × 1,436.50/3,000.00 × 31/31) = round(14.365) = 14.37 (half-up).
    const prepaid = modelDecide(state, pay('P2', '1600.00', '2026-03-02'));
    expect(prepaid.ok && numbered(prepaid.state)[3]).toEqual([4, '2026-06-01', 0, 1_437, 0]);
  });

  it('a contract penalty rate stays; a rate in force carries to the next restructuring', () => {
    const state = run(
      originate({ penaltyAnnualRate: '0.20' }),
      disburse(),
      restructure('2026-03-01', { annualInterestRate: '0.06' }),
      restructure('2026-03-02', { restructuringId: 'RS2', termMonths: 1 }),
    );
    expect(state.terms!.penaltyRate).toBe('0.20');
    // RS1: penalty 16–28 Feb at 20%: 13 × 1,000.00 × 0.20 / 360 = 7.2222 → 7.22; base 3,037.22 over 2 months at 6%
    // (#4 due 1 April, #5 due 1 May). RS2 on 2 March: nothing overdue; #4's interest not yet due is forgone; 1 month at 6%.
    expect(numbered(state)[3]).toEqual([4, '2026-04-01', 0, 0, 0]);
    expect(numbered(state).slice(5)).toEqual([[6, '2026-04-02', 303_722, 1_519, 0]]); // 3,037.22 × 0.005 = 15.1861
    expect(state.terms!.annualRate).toBe('0.06');
  });

  it('refusals', () => {
    const state = run(originate(), disburse(), cob('2026-02-28'));
    expect(refusal(run(originate()), restructure('2026-03-01'))).toBe('not disbursed');
    expect(refusal(state, restructure('2026-03-01', { capitalise: false, termMonths: 2 }))).toBeUndefined();
    expect(refusal(state, { kind: 'restructure', restructuringId: 'RS1', effectiveOn: '2026-03-01', capitalise: true })).toBe('no new terms');
    expect(refusal(state, restructure('2026-03-01', { annualInterestRate: '0.2401' }))).toBe('rate above cap');
    expect(refusal(state, restructure('2026-03-01', { annualInterestRate: '0.24' }))).toBeUndefined();
    expect(refusal(state, restructure('2026-01-14', { termMonths: 3 }))).toBe('restructuring before disbursement');
    // Penalty posted through 28 February: a restructuring effective that day is refused (it takes effect at the start of its day).
    expect(refusal(state, restructure('2026-02-28', { termMonths: 3 }))).toBe('restructuring on or before penalty already posted');
    const paid = run(originate(), disburse(), pay('P1', '10.00', '2026-02-10'));
    expect(refusal(paid, restructure('2026-02-09', { termMonths: 3 }))).toBe('restructuring before the latest payment');
    const once = run(originate(), disburse(), restructure('2026-03-01', { termMonths: 3 }));
    expect(refusal(once, restructure('2026-03-02', { termMonths: 3 }))).toBe('restructuring id already used');
    const paidOff = run(originate(), disburse(), pay('P1', '3100.00', '2026-01-20'));
    expect(refusal(paidOff, restructure('2026-03-01', { termMonths: 3 }))).toBe('loan paid-off');
    // (No principal unpaid on an active loan is not reachable here: a payment pays penalty and interest before principal.)
  });

  it('a write-off before the first new instalment is due cancels its scheduled interest, not the overdue interest carried to it', () => {
    // Carried: 30.00 interest (fell due 15 Feb) and 6.50 penalty; #4's own 30.00 (due 1 April) is not yet due on 2 March.
    const written = run(originate(), disburse(), restructure('2026-03-01', { termMonths: 2, capitalise: false }), { kind: 'write-off', writeOffId: 'W1', writtenOffOn: '2026-03-02' });
    expect(numbered(written).slice(3)).toEqual([
      [4, '2026-04-01', 150_000, 3_000, 650],
      [5, '2026-05-01', 150_000, 0, 0],
    ]);
  });

  it('a payment received on or before the restructuring date cannot be reversed; one after it can', () => {
    const state = run(originate(), disburse(), pay('P1', '10.00', '2026-03-01'), restructure('2026-03-01', { termMonths: 3 }), pay('P2', '10.00', '2026-03-02'));
    expect(refusal(state, { kind: 'reverse-payment', paymentId: 'P1', reversedOn: '2026-03-05' })).toBe('payment received on or before a restructuring');
    expect(refusal(state, { kind: 'reverse-payment', paymentId: 'P2', reversedOn: '2026-03-05' })).toBeUndefined();
  });
});
