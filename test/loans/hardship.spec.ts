import { LENDING_POLICY_PRESETS } from '../../src/policies/lending-policy.js';
import type { LoanCommand, RestructureLoan } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanEvent, LoanRestructuredData, LoanWrittenOffData, PenaltyWaivedData } from '../../src/loans/domain/loan-events.js';
import { type LoanState, interestOutstanding, penaltyOutstanding, principalOutstanding } from '../../src/loans/domain/loan-state.js';
import { daysPastDue, loanStandingOn } from '../../src/loans/domain/days-past-due.js';
import { given } from '../support/decider-spec.js';
import { disburse, historyOf, originate, pay } from '../fixtures/loans.js';
import { datesFrom } from '../support/calendar.js';

const cob = (businessDate: string): LoanCommand => ({ kind: 'close-business-day', businessDate });
const fold = (events: readonly LoanEvent[]): LoanState => events.reduce(loanDecider.evolve, loanDecider.initialState());
const dates = datesFrom;
const sum = (state: LoanState, amountOf: (i: LoanState['instalments'][number]) => number) => state.instalments.reduce((t, i) => t + amountOf(i), 0);
const restructure = (overrides: Partial<RestructureLoan> = {}): RestructureLoan => ({
  kind: 'restructure',
  restructuringId: 'R1',
  effectiveOn: '2026-04-01',
  reason: 'hardship',
  termMonths: 12,
  capitalise: false,
  ...overrides,
});

// 12,000.00 at 18% over 12 months, penalty 24%, grace 3; instalments 1 and 2 (due 02-15, 03-15) unpaid, COB run daily to 03-31.
const overdue = () => historyOf(originate(), disburse(), ...dates('2026-02-16', '2026-03-31').map(cob));

describe('restructuring', () => {
  it('moves everything unpaid into a new schedule that sums exactly to the restructured principal', () => {
    const before = fold(overdue());
    const [event] = given(loanDecider, overdue()).when(restructure()).then((events) => expect(events.map((e) => e.type)).toEqual(['LoanRestructured']));
    const data = event!.data as LoanRestructuredData;
    expect(data.principal).toBe(1_200_000);
    expect(data.overdueInterest).toBe(sum(before, (i) => (i.dueOn <= '2026-04-01' ? interestOutstanding(i) : 0)));
    expect(data.overduePenalty).toBe(sum(before, penaltyOutstanding));
    expect(data.overduePenalty).toBeGreaterThan(0);
    expect(data.keptDue).toEqual({ interest: data.overdueInterest, penalty: data.overduePenalty });
    expect(data.schedule).toHaveLength(12);
    expect(data.schedule.reduce((total, line) => total + line.principal, 0)).toBe(data.principal);
    expect(data.schedule[0]).toMatchObject({ number: 13, dueOn: '2026-05-01' });
  });

  it('capitalising puts overdue interest and penalty into the principal the new schedule repays', () => {
    const before = fold(overdue());
    const [event] = given(loanDecider, overdue()).when(restructure({ capitalise: true })).then(() => undefined);
    const data = event!.data as LoanRestructuredData;
    expect(data.principal).toBe(1_200_000 + data.overdueInterest + data.overduePenalty);
    expect(data.keptDue).toEqual({ interest: 0, penalty: 0 });
    expect(data.schedule.reduce((total, line) => total + line.principal, 0)).toBe(data.principal);
    expect(sum(before, principalOutstanding)).toBe(1_200_000);
  });

  it('resets days past due to zero, leaves paid history untouched, and keeps what was not capitalised due with the first new instalment', () => {
    const history = historyOf(originate(), disburse(), pay('P1', '1100.16', '2026-02-15'), ...dates('2026-03-16', '2026-03-31').map(cob));
    const decided = given(loanDecider, history).when(restructure()).then(() => undefined);
    const restructured = decided.at(-1)!.data as LoanRestructuredData;
    const state = fold([...history, ...decided]);
    expect(daysPastDue(state.instalments, '2026-04-01')).toBe(0);
    expect(state.delinquencyThreshold).toBe(0);
    expect(state.instalments[0]).toMatchObject({ principalPaid: 92_016, interestPaid: 18_000, principalRestructured: 0 });
    expect(state.instalments.slice(0, 12).every((i) => principalOutstanding(i) + interestOutstanding(i) + penaltyOutstanding(i) === 0)).toBe(true);
    const first = state.instalments[12]!;
    expect(restructured.keptDue.interest).toBeGreaterThan(0);
    expect(interestOutstanding(first)).toBe(restructured.schedule[0]!.interest + restructured.keptDue.interest);
    expect(penaltyOutstanding(first)).toBe(restructured.keptDue.penalty);
    expect(sum(state, principalOutstanding)).toBe(1_200_000 - 92_016);
  });

  it('a payment holiday delays the first instalment and charges no interest for it', () => {
    const [event] = given(loanDecider, overdue()).when(restructure({ paymentHolidayMonths: 3, termMonths: undefined })).then(() => undefined);
    const data = event!.data as LoanRestructuredData;
    expect(data.schedule[0]!.dueOn).toBe('2026-08-01');
    expect(data.termMonths).toBe(10);
    expect(data.schedule[0]!.interest).toBe(Math.round((data.principal * 0.18) / 12));
  });

  it('accrues the old schedule\'s penalty through the day before when close of business lags', () => {
    const history = historyOf(originate(), disburse(), ...dates('2026-02-16', '2026-03-20').map(cob));
    given(loanDecider, history)
      .when(restructure())
      .then((events) => {
        expect(events.map((e) => e.type)).toEqual(['PenaltyAccrued', 'LoanRestructured']);
        expect(events[0]!.data).toMatchObject({ from: '2026-03-21', to: '2026-03-31' });
      });
  });

  it('no penalty accrues on the old instalments afterwards, and the new schedule is missed like any other', () => {
    const history = overdue();
    const restructured = [...history, ...given(loanDecider, history).when(restructure()).then(() => undefined)];
    let state = fold(restructured);
    const events: LoanEvent[] = [];
    for (const day of dates('2026-04-01', '2026-05-04')) {
      const decided = loanDecider.decide(cob(day), state);
      events.push(...decided);
      state = decided.reduce(loanDecider.evolve, state);
    }
    expect(events.map((e) => e.type)).toEqual(['InstalmentMissed', 'PenaltyAccrued']);
    expect(events[0]!.data).toMatchObject({ number: 13, dueOn: '2026-05-01', missedOn: '2026-05-04' });
  });

  it.each([
    ['a paid-off loan', [originate(), disburse(), pay('P1', '20000.00', '2026-02-01')], restructure(), 'LOAN.CLOSED'],
    ['a written-off loan', [originate(), disburse(), { kind: 'write-off', writeOffId: 'W1', writtenOffOn: '2026-03-01', reason: 'fraud' } as const], restructure(), 'LOAN.CLOSED'],
    ['no new term at all', [originate(), disburse()], restructure({ termMonths: undefined }), 'REQUEST.INVALID'],
    ['a rate above the policy cap', [originate(), disburse()], restructure({ annualInterestRate: '0.25' }), 'RATE_ABOVE_CAP'],
    ['a date before penalty already accrued', [originate(), disburse(), ...dates('2026-02-16', '2026-04-05').map(cob)], restructure(), 'LOAN.BACKDATED'],
    ['a restructuring id used before', [originate(), disburse(), restructure({ effectiveOn: '2026-01-20' })], restructure(), 'RESTRUCTURING.DUPLICATE_ID'],
    ['a loan not disbursed', [originate()], restructure(), 'LOAN.NOT_DISBURSED'],
  ])('refuses %s', (_, commands, command, code) => {
    given(loanDecider, historyOf(...(commands as LoanCommand[]))).when(command).thenRejects(code);
  });

  it('a write-off after a restructuring that kept overdue interest due writes that interest off with the rest, and cancels only interest not yet due', () => {
    // 3,000.00 at 12% over 3 months, equal principal; restructured on 03-01 without capitalising: instalment 1's 30.00 stays due with the first new one.
    const small = [originate({ principal: '3000.00', annualInterestRate: '0.12', termMonths: 3, repaymentMethod: 'equal-principal' }), disburse()];
    const history = historyOf(...small, restructure({ effectiveOn: '2026-03-01', termMonths: 2, capitalise: false }), { kind: 'write-off', writeOffId: 'WO', writtenOffOn: '2026-03-02', reason: 'fraud' });
    const writtenOff = history.at(-1)!.data as LoanWrittenOffData;
    const firstNew = fold(history).instalments.find((i) => i.number === 4)!;
    expect(interestOutstanding(firstNew)).toBe(3_000);
    expect(writtenOff.interest).toBe(3_000);
    expect(writtenOff.interestNotYetDue).toEqual([
      { number: 4, amount: 3_000 },
      { number: 5, amount: 1_500 },
    ]);
  });

  it('judges a new rate against the policy in force when it is decided: after a move to cn-2027, 0.22 is refused', () => {
    const history = historyOf(originate(), disburse());
    given(loanDecider, history).when(restructure({ annualInterestRate: '0.22' })).then((events) => expect(events.at(-1)!.type).toBe('LoanRestructured'));
    given(loanDecider, history).when({ ...restructure({ annualInterestRate: '0.22' }), policy: LENDING_POLICY_PRESETS['cn-2027'] }).thenRejects('RATE_ABOVE_CAP');
  });

  it('derives a policy-default penalty rate again from the new rate; a contract penalty rate stays', () => {
    // 0.16 × 1.5 = 0.24 at origination; restructured to 0.04, the default is 0.06, not six times the new rate.
    const defaulted = historyOf(originate({ annualInterestRate: '0.16' }), disburse(), restructure({ effectiveOn: '2026-01-20', annualInterestRate: '0.04' }));
    expect((defaulted.at(-1)!.data as LoanRestructuredData).penaltyAnnualRate).toBe('0.06');
    expect(fold(defaulted).restructuring?.penaltyAnnualRate).toBe('0.06');
    const later = historyOf(originate({ annualInterestRate: '0.16' }), disburse(), restructure({ effectiveOn: '2026-01-20', annualInterestRate: '0.04' }), cob('2026-03-31'));
    const accrued = later.filter((e) => e.type === 'PenaltyAccrued').map((e) => (e.data as { annualRate: string }).annualRate);
    expect(accrued.length).toBeGreaterThan(0);
    expect(new Set(accrued)).toEqual(new Set(['0.06']));
    const contract = historyOf(originate({ annualInterestRate: '0.16', penaltyAnnualRate: '0.2' }), disburse(), restructure({ effectiveOn: '2026-01-20', annualInterestRate: '0.04' }));
    expect((contract.at(-1)!.data as LoanRestructuredData).penaltyAnnualRate).toBe('0.2');
  });

  describe('observation period', () => {
    // Restructured on 01-20, before anything fell due: 12,000.00 over 24 instalments at 18% from 02-20.
    const restructured = () => historyOf(originate(), disburse(), restructure({ effectiveOn: '2026-01-20', termMonths: 24 }));
    const runCob = (history: LoanEvent[], from: string, to: string) => {
      let state = fold(history);
      const events: LoanEvent[] = [];
      for (const day of dates(from, to)) {
        const decided = loanDecider.decide(cob(day), state);
        events.push(...decided);
        state = decided.reduce(loanDecider.evolve, state);
      }
      return events;
    };

    it('ends a year after the first new instalment once two consecutive instalments were paid on time', () => {
      const schedule = (restructured().at(-1)!.data as LoanRestructuredData).schedule;
      expect(schedule[0]!.dueOn).toBe('2026-02-20');
      let history = restructured();
      // Paid on each due date up to the anniversary (a payment after it would itself record the end, as the close before it would have).
      for (const line of schedule.slice(0, 13)) {
        const amount = ((line.principal + line.interest) / 100).toFixed(2);
        history = [...history, ...loanDecider.decide(pay(`N${line.number}`, amount, line.dueOn), fold(history))];
      }
      const events = runCob(history, '2026-02-20', '2027-02-25');
      expect(events).toEqual([{ type: 'RestructuringObservationEnded', data: { restructuringId: 'R1', endedOn: '2027-02-20' } }]);
      expect(fold([...history, ...events]).restructuring?.observationEndedOn).toBe('2027-02-20');
    });

    it('does not end while instalments are paid late', () => {
      const schedule = (restructured().at(-1)!.data as LoanRestructuredData).schedule;
      let history = restructured();
      for (const line of schedule.slice(0, 14)) {
        const amount = ((line.principal + line.interest) / 100).toFixed(2);
        const late = schedule.indexOf(line) % 2 === 0 ? 0 : 1;
        const on = new Date(Date.parse(`${line.dueOn}T00:00:00Z`) + late * 86_400_000).toISOString().slice(0, 10);
        history = [...history, ...loanDecider.decide(pay(`N${line.number}`, amount, on), fold(history))];
      }
      expect(fold(history).status).toBe('active');
      expect(runCob(history, '2027-02-01', '2027-03-01').filter((e) => e.type === 'RestructuringObservationEnded')).toEqual([]);
    });

    it('restarts from the next payment date after an instalment not paid in full and on time', () => {
      const schedule = (restructured().at(-1)!.data as LoanRestructuredData).schedule;
      let history = restructured();
      for (const line of schedule.slice(0, 14)) {
        const amount = ((line.principal + line.interest) / 100).toFixed(2);
        // The first new instalment is paid two days late; every later one on its due date.
        const on = line === schedule[0] ? '2026-02-22' : line.dueOn;
        history = [...history, ...loanDecider.decide(pay(`N${line.number}`, amount, on), fold(history))];
      }
      // Restarted at 2026-03-20: two periods and a year from there end on 2027-03-20, not 2027-02-20.
      const ended = runCob(history, '2026-02-20', '2027-04-30').filter((e) => e.type === 'RestructuringObservationEnded');
      expect(ended).toEqual([{ type: 'RestructuringObservationEnded', data: { restructuringId: 'R1', endedOn: '2027-03-20' } }]);
    });

    it('does not end on its anniversary while the loan is past due: two instalments paid on time, then nothing', () => {
      const schedule = (restructured().at(-1)!.data as LoanRestructuredData).schedule;
      let history = restructured();
      for (const line of schedule.slice(0, 2)) {
        history = [...history, ...loanDecider.decide(pay(`N${line.number}`, ((line.principal + line.interest) / 100).toFixed(2), line.dueOn), fold(history))];
      }
      const closes = runCob(history, '2026-02-20', '2027-06-30');
      expect(closes.filter((e) => e.type === 'RestructuringObservationEnded')).toEqual([]);
      const state = fold([...history, ...closes]);
      // Classed down as its days past due require: 436 days from the third new instalment (2026-04-20).
      expect(loanStandingOn(state, '2027-06-30')).toMatchObject({ inRestructuringObservation: true, daysPastDue: 436, classification: 'loss' });
    });

    it('keeps a loan restructured as substandard at least substandard through its observation period, even once current', () => {
      // 100 days past due on 2026-05-26 (first due 2026-02-15), restructured with its arrears capitalised: current again.
      const late = historyOf(originate(), disburse(), ...dates('2026-02-16', '2026-05-25').map(cob), restructure({ effectiveOn: '2026-05-26', termMonths: 12 }));
      const data = late.at(-1)!.data as LoanRestructuredData;
      expect(data.classBefore).toBe('substandard');
      const state = fold(late);
      expect(loanStandingOn(state, '2026-06-01')).toMatchObject({ daysPastDue: 0, classification: 'substandard', inRestructuringObservation: true });
      // A loan restructured while special mention is special mention under observation.
      const early = fold(historyOf(originate(), disburse(), ...dates('2026-02-16', '2026-03-01').map(cob), restructure({ effectiveOn: '2026-03-02', termMonths: 12 })));
      expect(loanStandingOn(early, '2026-03-10')).toMatchObject({ daysPastDue: 0, classification: 'special-mention' });
    });
  });
});

describe('penalty waiver', () => {
  const waive = (amount: string, waiverId = 'W1') => ({ kind: 'waive-penalty', waiverId, waivedOn: '2026-04-01', amount, reason: 'hardship', approvedBy: 'manager:li' }) as const;

  it('waives oldest instalment first and never more than is outstanding', () => {
    const before = fold(overdue());
    const [first, second] = before.instalments.map(penaltyOutstanding);
    const [event] = given(loanDecider, overdue()).when(waive(((first! + 1) / 100).toFixed(2))).then(() => undefined);
    expect(event!.data as PenaltyWaivedData).toMatchObject({ amount: first! + 1, instalments: [{ number: 1, amount: first }, { number: 2, amount: 1 }] });
    const after = fold([...overdue(), event!]);
    expect(sum(after, penaltyOutstanding)).toBe(first! + second! - first! - 1);
  });

  it("'all' waives every unit outstanding", () => {
    const [event] = given(loanDecider, overdue()).when(waive('all')).then(() => undefined);
    expect(sum(fold([...overdue(), event!]), penaltyOutstanding)).toBe(0);
  });

  it.each([
    ['more than is owed', () => overdue(), () => waive('10000.00'), 'WAIVER.EXCEEDS_PENALTY'],
    // Nothing has fallen due by 02-01, so no penalty is owed (on 04-01 the penalty through 03-31 would be posted first, and waived).
    ['when no penalty is outstanding', () => historyOf(originate(), disburse()), () => ({ ...waive('all'), waivedOn: '2026-02-01' }), 'WAIVER.NO_PENALTY_OUTSTANDING'],
    ['a date before penalty already accrued', () => overdue(), () => ({ ...waive('1.00'), waivedOn: '2026-03-20' }), 'LOAN.BACKDATED'],
    ['a waiver id used before', () => [...overdue(), ...loanDecider.decide(waive('1.00'), fold(overdue()))], () => waive('1.00'), 'WAIVER.DUPLICATE_ID'],
  ])('refuses %s', (_, history, command, code) => {
    given(loanDecider, history()).when(command()).thenRejects(code);
  });
});

describe('write-off', () => {
  const writeOff = (writtenOffOn = '2026-04-01', writeOffId = 'W1') => ({ kind: 'write-off', writeOffId, writtenOffOn, reason: 'uncollectable' }) as const;

  it('records the principal, the interest fallen due and the penalty written off, accruing penalty through the day', () => {
    const events = given(loanDecider, overdue()).when(writeOff()).then(() => undefined);
    expect(events.map((e) => e.type)).toEqual(['PenaltyAccrued', 'LoanWrittenOff']);
    const state = fold([...overdue(), ...events]);
    expect(events[1]!.data).toEqual({
      writeOffId: 'W1',
      writtenOffOn: '2026-04-01',
      reason: 'uncollectable',
      principal: 1_200_000,
      interest: sum(state, (i) => (i.dueOn <= '2026-04-01' ? interestOutstanding(i) : 0)),
      penalty: sum(state, penaltyOutstanding),
      automatic: false,
      interestNotYetDue: state.instalments.filter((i) => i.dueOn > '2026-04-01').map((i) => ({ number: i.number, amount: i.interestCancelled })),
    } satisfies LoanWrittenOffData);
    expect(state.status).toBe('written-off');
    given(loanDecider, [...overdue(), ...events]).when(cob('2026-04-02')).then([]);
  });

  it('writing off twice is refused', () => {
    const history = [...overdue(), ...loanDecider.decide(writeOff(), fold(overdue()))];
    given(loanDecider, history).when(writeOff('2026-04-02', 'W2')).thenRejects('LOAN.ALREADY_WRITTEN_OFF', 'rule-violation');
  });

  it('payments afterwards are recoveries: allocated, marked, and never reopening the loan or its accrual', () => {
    const history = [...overdue(), ...loanDecider.decide(writeOff(), fold(overdue()))];
    const events = given(loanDecider, history).when(pay('REC1', '20000.00', '2026-05-01')).then(() => undefined);
    expect(events.map((e) => e.type)).toEqual(['PaymentReceived']);
    expect(events[0]!.data).toMatchObject({ recovery: true });
    const state = fold([...history, ...events]);
    expect(state.status).toBe('written-off');
    given(loanDecider, [...history, ...events]).when(cob('2026-05-02')).then([]);
  });

  it('a payment received before the write-off can no longer be reversed', () => {
    const paid = historyOf(originate(), disburse(), pay('P1', '100.00', '2026-02-10'), writeOff('2026-03-01'));
    given(loanDecider, paid).when({ kind: 'reverse-payment', paymentId: 'P1', reason: 'returned', reversedOn: '2026-03-02' }).thenRejects('PAYMENT.BEFORE_RESTRUCTURING_OR_WRITE_OFF');
  });

  it('under a policy with a days-past-due limit, close of business writes the loan off once it is exceeded', () => {
    const history = historyOf(originate({ policy: LENDING_POLICY_PRESETS.us, annualInterestRate: '0.18' }), disburse());
    let state = fold(history);
    const events: LoanEvent[] = [];
    for (const day of dates('2026-02-16', '2026-06-20')) {
      const decided = loanDecider.decide(cob(day), state);
      events.push(...decided);
      state = decided.reduce(loanDecider.evolve, state);
    }
    const writtenOff = events.filter((e) => e.type === 'LoanWrittenOff');
    // Instalment 1 fell due 2026-02-15: 120 days past due on 2026-06-15, 121 on 2026-06-16.
    expect(writtenOff).toEqual([{ type: 'LoanWrittenOff', data: expect.objectContaining({ writtenOffOn: '2026-06-16', automatic: true }) }]);
    expect(events.at(-1)!.type).toBe('LoanWrittenOff');
  });
});
