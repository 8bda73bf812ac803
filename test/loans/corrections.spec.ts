import { LENDING_POLICY_PRESETS } from '../../src/policies/lending-policy.js';
import type { LoanCommand, RestructureLoan } from '../../src/loans/domain/loan-commands.js';
import { loanDecider } from '../../src/loans/domain/loan-decider.js';
import type { LoanEvent } from '../../src/loans/domain/loan-events.js';
import { type LoanState, loanOutstanding, penaltyOutstanding } from '../../src/loans/domain/loan-state.js';
import { loanSnapshotting } from '../../src/loans/domain/loan-snapshot.js';
import { disburse, historyOf, originate, pay } from '../fixtures/loans.js';
import { datesFrom } from '../support/calendar.js';

/**
 * Every decision has a command that undoes its effect with a new event (issue 21): the log
 * is never edited, and once undone the loan goes on exactly as if the decision had not
 * been made. The fixture loan: 12,000.00 CNY at 18% over 12 months, instalments of 1,100.16
 * due the 15th from 2026-02-15, grace 3 days, penalty 24% a year.
 */
const cob = (businessDate: string): LoanCommand => ({ kind: 'close-business-day', businessDate });
const closes = (from: string, to: string) => datesFrom(from, to).map(cob);
const fold = (events: readonly LoanEvent[]): LoanState => events.reduce(loanDecider.evolve, loanDecider.initialState());
const decide = (history: readonly LoanEvent[], command: LoanCommand) => loanDecider.decide(command, fold(history));
const refusal = (history: readonly LoanEvent[], command: LoanCommand) => {
  try {
    decide(history, command);
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('not refused');
};
/** What the loan owes and how it stands, instalment by instalment: the part of the state a correction must restore. */
const books = (state: LoanState) => {
  const { instalments, status, delinquencyThreshold, delinquentFrom, overpaymentHeld } = loanSnapshotting.toSnapshot(state) as unknown as LoanState;
  return { instalments, status, delinquencyThreshold, delinquentFrom, overpaymentHeld, penaltyRate: state.restructuring?.penaltyAnnualRate };
};
const totalPenalty = (state: LoanState) => state.instalments.reduce((sum, i) => sum + penaltyOutstanding(i), 0);

describe('an origination cancelled before disbursement', () => {
  const originated = historyOf(originate());
  const cancel: LoanCommand = { kind: 'cancel-origination', cancelledOn: '2026-01-12', reason: 'declined by the borrower' };

  it('is recorded and leaves nothing more to happen to the loan', () => {
    const cancelled = [...originated, ...decide(originated, cancel)];
    expect(cancelled.at(-1)).toEqual({ type: 'LoanOriginationCancelled', data: { cancelledOn: '2026-01-12', reason: 'declined by the borrower' } });
    expect(fold(cancelled).status).toBe('cancelled');
    expect(refusal(cancelled, disburse())).toBe('LOAN.CANCELLED');
    expect(refusal(cancelled, cancel)).toBe('LOAN.CANCELLED');
    expect(refusal(cancelled, pay('P1', '100.00', '2026-02-01'))).toBe('LOAN.NOT_DISBURSED');
  });

  it('is refused once money moved, and before the origination', () => {
    expect(refusal(historyOf(originate(), disburse()), cancel)).toBe('LOAN.ALREADY_DISBURSED');
    expect(refusal(originated, { ...cancel, cancelledOn: '2026-01-09' })).toBe('BUSINESS_DATE.BEFORE_ORIGINATION');
  });
});

describe('a penalty waiver reversed', () => {
  // Instalment 1 missed 02-18, penalty accruing; all of it waived on 03-01.
  const waived = historyOf(
    originate(),
    disburse(),
    ...closes('2026-02-16', '2026-02-28'),
    { kind: 'waive-penalty', waiverId: 'W1', waivedOn: '2026-03-01', amount: 'all', reason: 'goodwill', approvedBy: 'manager' },
  );
  const reverse: LoanCommand = { kind: 'reverse-penalty-waiver', waiverId: 'W1', reversedOn: '2026-03-05', reason: 'granted in error' };

  it('makes the waived penalty owed again, and the loan goes on as if it had not been waived', () => {
    const reversed = historyOf(
      originate(),
      disburse(),
      ...closes('2026-02-16', '2026-02-28'),
      { kind: 'waive-penalty', waiverId: 'W1', waivedOn: '2026-03-01', amount: 'all', reason: 'goodwill', approvedBy: 'manager' },
      reverse,
      ...closes('2026-03-05', '2026-04-30'),
    );
    const neverWaived = historyOf(originate(), disburse(), ...closes('2026-02-16', '2026-04-30'));
    expect(reversed.find((e) => e.type === 'PenaltyWaiverReversed')!.data).toMatchObject({ waiverId: 'W1', amount: fold(waived).waivers[0]!.amount });
    expect(totalPenalty(fold(reversed))).toBe(totalPenalty(fold(neverWaived)));
    expect(books(fold(reversed))).toEqual(books(fold(neverWaived)));
  });

  it('is refused for an unknown waiver, twice, and before the waiver', () => {
    expect(refusal(waived, { ...reverse, waiverId: 'W9' })).toBe('WAIVER.NOT_FOUND');
    expect(refusal([...waived, ...decide(waived, reverse)], reverse)).toBe('WAIVER.ALREADY_REVERSED');
    expect(refusal(waived, { ...reverse, reversedOn: '2026-02-28' })).toBe('WAIVER.REVERSAL_BEFORE_WAIVER');
  });

  it('reopens a loan paid off with the help of the waiver', () => {
    const paidOff = [...waived, ...decide(waived, pay('P1', '20000.00', '2026-03-02'))];
    expect(fold(paidOff).status).toBe('paid-off');
    const reversed = [...paidOff, ...decide(paidOff, reverse)];
    expect(reversed.slice(-2).map((e) => e.type)).toEqual(['PenaltyWaiverReversed', 'LoanReopened']);
    expect(fold(reversed).status).toBe('active');
    expect(loanOutstanding(fold(reversed))).toBe(fold(waived).waivers[0]!.amount);
  });
});

describe('a write-off reversed', () => {
  // Instalments 1-4 missed; written off by hand on 06-20.
  const writeOff: LoanCommand = { kind: 'write-off', writeOffId: 'WO1', writtenOffOn: '2026-06-20', reason: 'uncollectable' };
  const writtenOff = historyOf(originate(), disburse(), ...closes('2026-02-16', '2026-06-19'), writeOff);
  const reverse: LoanCommand = { kind: 'reverse-write-off', writeOffId: 'WO1', reversedOn: '2026-06-25', reason: 'borrower found' };

  it('makes the loan active again, owing what it owed, and close of business catches penalty up as if never written off', () => {
    const reversed = historyOf(originate(), disburse(), ...closes('2026-02-16', '2026-06-19'), writeOff, reverse, cob('2026-07-31'));
    const neverWrittenOff = historyOf(originate(), disburse(), ...closes('2026-02-16', '2026-07-31'));
    expect(fold(reversed).status).toBe('active');
    expect(fold(reversed).writtenOff).toBeUndefined();
    expect(books(fold(reversed))).toEqual(books(fold(neverWrittenOff)));
  });

  it('is refused while a recovery stands, for another write-off, and before the write-off', () => {
    const recovered = [...writtenOff, ...decide(writtenOff, pay('R1', '500.00', '2026-06-22'))];
    expect(refusal(recovered, reverse)).toBe('WRITE_OFF.RECOVERIES_STAND');
    const recoveryReversed = [...recovered, ...decide(recovered, { kind: 'reverse-payment', paymentId: 'R1', reason: 'bounced', reversedOn: '2026-06-23' })];
    expect(fold([...recoveryReversed, ...decide(recoveryReversed, reverse)]).status).toBe('active');
    expect(refusal(writtenOff, { ...reverse, writeOffId: 'WO2' })).toBe('WRITE_OFF.NOT_FOUND');
    expect(refusal(writtenOff, { ...reverse, reversedOn: '2026-06-19' })).toBe('WRITE_OFF.REVERSAL_BEFORE_WRITE_OFF');
  });

  it('lets a payment that predates an automatic write-off be recorded on its day, so the loan is not written off', () => {
    // Under the us policy close of business writes a loan off on the first day past 120 days past due.
    const us = originate({ currency: 'USD', policy: LENDING_POLICY_PRESETS.us });
    const automatic = historyOf(us, disburse(), ...closes('2026-02-16', '2026-07-10'));
    const writtenOffOn = fold(automatic).writtenOff!.writtenOffOn;
    const late = pay('P1', '6000.00', '2026-06-10');
    const afterReversal = [
      ...automatic,
      ...decide(automatic, { kind: 'reverse-write-off', writeOffId: fold(automatic).writtenOff!.writeOffId, reversedOn: '2026-07-11', reason: 'late payment found' }),
    ];
    const corrected = [...afterReversal, ...decide(afterReversal, late)];
    const onTime = historyOf(us, disburse(), ...closes('2026-02-16', '2026-06-09'), late, ...closes('2026-06-10', writtenOffOn));
    expect(fold(corrected).status).toBe('active');
    expect(books(fold(corrected))).toEqual(books(fold(onTime)));
  });
});

describe('a payment recorded after an automatic write-off it predates', () => {
  const us = originate({ currency: 'USD', policy: LENDING_POLICY_PRESETS.us });
  const automatic = historyOf(us, disburse(), ...closes('2026-02-16', '2026-07-10'));
  const writtenOffOn = fold(automatic).writtenOff!.writtenOffOn;

  it('undoes the write-off the close made without it, and counts on its day: the loan is where daily closes after it would be', () => {
    const late = pay('P1', '6000.00', '2026-06-10');
    const corrected = [...automatic, ...decide(automatic, late)];
    const appended = corrected.slice(automatic.length).map((e) => e.type);
    expect(appended[0]).toBe('WriteOffReversed');
    expect(appended).toContain('PaymentReceived');
    expect(appended).not.toContain('LoanWrittenOff');
    const onTime = historyOf(us, disburse(), ...closes('2026-02-16', '2026-06-09'), late, ...closes('2026-06-10', writtenOffOn));
    expect(fold(corrected).status).toBe('active');
    expect(fold(corrected).payments.get('P1')!.recovery).toBe(false);
    expect(books(fold(corrected))).toEqual(books(fold(onTime)));
  });

  it('writes the loan off again, on the same day, when it is still past the limit without it', () => {
    const small = pay('P1', '10.00', '2026-06-10');
    const corrected = [...automatic, ...decide(automatic, small)];
    expect(fold(corrected).status).toBe('written-off');
    expect(fold(corrected).writtenOff!.writtenOffOn).toBe(writtenOffOn);
    const onTime = historyOf(us, disburse(), ...closes('2026-02-16', '2026-06-09'), small, ...closes('2026-06-10', writtenOffOn));
    expect(books(fold(corrected))).toEqual(books(fold(onTime)));
  });

  it('is a recovery while recoveries since the write-off stand, and after a write-off a person decided', () => {
    const recovered = [...automatic, ...decide(automatic, pay('R1', '50.00', '2026-07-10'))];
    expect(fold([...recovered, ...decide(recovered, pay('P1', '6000.00', '2026-06-10'))]).payments.get('P1')!.recovery).toBe(true);
    const byHand = historyOf(originate(), disburse(), ...closes('2026-02-16', '2026-06-19'), { kind: 'write-off', writeOffId: 'WO1', writtenOffOn: '2026-06-20', reason: 'uncollectable' });
    expect(fold([...byHand, ...decide(byHand, pay('P1', '100.00', '2026-06-10'))]).payments.get('P1')!.recovery).toBe(true);
  });
});

describe('a restructuring reversed before anything rests on it', () => {
  const restructure: RestructureLoan = { kind: 'restructure', restructuringId: 'R1', effectiveOn: '2026-04-01', reason: 'hardship', termMonths: 12, capitalise: false };
  const overdue = historyOf(originate(), disburse(), ...closes('2026-02-16', '2026-03-31'));
  const restructured = [...overdue, ...decide(overdue, restructure)];
  const reverse: LoanCommand = { kind: 'reverse-restructuring', restructuringId: 'R1', reversedOn: '2026-04-02', reason: 'keyed on the wrong loan' };

  it('restores the old schedule and standing, and the loan goes on as if it had not been restructured', () => {
    const reversed = [...restructured, ...decide(restructured, reverse)];
    expect(fold(reversed).instalments).toHaveLength(12);
    expect(fold(reversed).restructuring).toBeUndefined();
    expect(books(fold(reversed))).toEqual(books(fold(historyOf(originate(), disburse(), ...closes('2026-02-16', '2026-03-31')))));
    const later = [...reversed, ...decide(reversed, cob('2026-05-31'))];
    expect(books(fold(later))).toEqual(books(fold(historyOf(originate(), disburse(), ...closes('2026-02-16', '2026-05-31')))));
  });

  it('is refused once a payment rests on the new schedule, for another restructuring, and before it took effect', () => {
    const paid = [...restructured, ...decide(restructured, pay('P1', '100.00', '2026-04-05'))];
    expect(refusal(paid, { ...reverse, reversedOn: '2026-04-06' })).toBe('RESTRUCTURING.DEPENDED_ON');
    expect(refusal(restructured, { ...reverse, restructuringId: 'R2' })).toBe('RESTRUCTURING.NOT_IN_FORCE');
    expect(refusal(restructured, { ...reverse, reversedOn: '2026-03-31' })).toBe('RESTRUCTURING.REVERSAL_BEFORE_EFFECTIVE');
  });
});
