import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { bearer } from '../support/api-keys.js';
import { EngineProcess } from '../support/engine-process.js';

/**
 * Many clients paying into one loan at the same instant, over real sockets into the built
 * engine: every payment is a write to the same stream, decided on the state its
 * predecessors left. A servicing engine must take every valid payment exactly once, answer
 * a client's retry with the first answer, and lose or invent no money. (On a store whose
 * calls are real I/O the same burst races for the stream's next revision: see
 * test/kernel/command-pipeline-concurrency.spec.ts.)
 */
const LOAN = 'L-CONC';
const PAYMENTS = 200;
const REPEATS = 50;
const RECEIVED_ON = '2026-02-01';

interface InstalmentAllocation {
  number: number;
  penalty: number;
  interest: number;
  principal: number;
}
interface PaymentAllocation {
  instalments: InstalmentAllocation[];
  prepaid: { number: number; principal: number; interestCancelled: number }[];
  overpayment: number;
  reamortised?: { option: string; instalments: { number: number; principal: number; interest: number }[] };
}
interface RecordedEvent {
  type: string;
  revision: number;
  commandId: string | null;
  data: { paymentId: string; amount: number; allocation: PaymentAllocation };
}

/** "1234.56" (CNY) as minor units, exactly; "-4.63" (a re-amortisation raising a principal) too. */
const cents = (amount: string): number => {
  if (amount.startsWith('-')) return -cents(amount.slice(1));
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};
/** 500.00 to 899.99, varied so that no two neighbours pay the same. */
const amountOf = (i: number) => {
  const minor = 50_000 + ((i * 3_701) % 40_000);
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
};
/** A response's allocation (decimal strings) in minor units, to compare with the event's. */
const allocationInMinor = (allocation: {
  instalments: { number: number; penalty: string; interest: string; principal: string }[];
  prepaid: { number: number; principal: string; interestCancelled: string }[];
  overpayment: string;
  reamortised?: { option: string; instalments: { number: number; principal: string; interest: string }[] };
}): PaymentAllocation => ({
  instalments: allocation.instalments.map((a) => ({ number: a.number, penalty: cents(a.penalty), interest: cents(a.interest), principal: cents(a.principal) })),
  prepaid: allocation.prepaid.map((p) => ({ number: p.number, principal: cents(p.principal), interestCancelled: cents(p.interestCancelled) })),
  overpayment: cents(allocation.overpayment),
  ...(allocation.reamortised && {
    reamortised: {
      option: allocation.reamortised.option,
      instalments: allocation.reamortised.instalments.map((r) => ({ number: r.number, principal: cents(r.principal), interest: cents(r.interest) })),
    },
  }),
});

describe('200 concurrent payments on one loan, over HTTP into the engine process', () => {
  let folder: string;
  let engine: EngineProcess | undefined;
  let url: string;

  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { ...bearer('servicer'), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const getJson = async (path: string, key: 'viewer' | 'auditor') => {
    const response = await fetch(`${url}${path}`, { headers: bearer(key) });
    expect(response.status).toBe(200);
    return (await response.json()) as any;
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-concurrent-'));
    ({ engine, url } = await EngineProcess.start({
      SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'),
      SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite'),
    }));
  });
  afterAll(async () => {
    await engine?.stop('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  it('takes every payment exactly once, answers repeats with the first answer, and moves the balances by exactly the money paid', async () => {
    // 1,000,000.00 over 12 months: instalment 1 is ~91,680, instalment 12's principal ~90,300.
    // The payments (at most 180,000 in all) settle instalment 1 and prepay principal, so the
    // loan is never paid off; each prepayment re-amortises the later instalments. Principal
    // outstanding must then fall by exactly the principal paid, and the interest scheduled by
    // exactly what the re-amortisations took off.
    expect((await post('/loans', { ...originationRequest(LOAN, 'B-CONC'), principal: '1000000.00' })).status).toBe(201);
    expect((await post(`/loans/${LOAN}/disbursements`, disbursementRequest)).status).toBe(201);
    const before = await getJson(`/loans/${LOAN}`, 'viewer');

    const payments = Array.from({ length: PAYMENTS }, (_, i) => paymentRequest(`P-${String(i).padStart(3, '0')}`, amountOf(i), RECEIVED_ON));
    // Each repeat is sent right after its original's successor: both are in flight together.
    const requests = payments.flatMap((payment, i) => (i % 4 === 1 && i / 4 < REPEATS ? [payment, payments[i - 1]!] : [payment]));
    expect(requests).toHaveLength(PAYMENTS + REPEATS);

    const answers = await Promise.all(
      requests.map(async (body) => {
        const response = await post(`/loans/${LOAN}/payments`, body);
        return { paymentId: body.paymentId, status: response.status, body: (await response.json()) as any };
      }),
    );

    // A valid payment must never fail because others were paid at the same moment.
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.map((a) => `${a.paymentId}: ${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);

    const { events } = (await getJson(`/loans/${LOAN}/events`, 'auditor')) as { events: RecordedEvent[] };
    // Originated, disbursed, then one event per payment and nothing else: repeats appended nothing.
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(['LoanOriginated', 'LoanDisbursed']);
    const received = events.filter((e) => e.type === 'PaymentReceived');
    expect(events.length).toBe(2 + PAYMENTS);
    expect(received.map((e) => e.data.paymentId).sort()).toEqual(payments.map((p) => p.paymentId).sort());
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));

    // Every answer, first or repeat, is the allocation the log recorded for that payment.
    const byPayment = new Map(received.map((e) => [e.data.paymentId, e.data]));
    for (const answer of answers) {
      const recorded = byPayment.get(answer.paymentId)!;
      expect({ paymentId: answer.paymentId, amount: cents(answer.body.amount), allocation: allocationInMinor(answer.body.allocation) }).toEqual({
        paymentId: answer.paymentId,
        amount: recorded.amount,
        allocation: recorded.allocation,
      });
      expect(answer.body).toMatchObject({ loanId: LOAN, paidOff: false, recovery: false });
    }
    const payment = new Map(payments.map((p) => [p.paymentId, p]));
    for (const e of received) expect(e.data.amount).toBe(cents(payment.get(e.data.paymentId)!.amount));

    // Money is conserved: what the allocations put where adds up to what was paid.
    const paid = payments.reduce((sum, p) => sum + cents(p.amount), 0);
    const allocations = received.map((e) => e.data.allocation);
    const sumOf = (pick: (a: PaymentAllocation) => number) => allocations.reduce((sum, a) => sum + pick(a), 0);
    const penalty = sumOf((a) => a.instalments.reduce((s, i) => s + i.penalty, 0));
    const interest = sumOf((a) => a.instalments.reduce((s, i) => s + i.interest, 0));
    const principal = sumOf((a) => a.instalments.reduce((s, i) => s + i.principal, 0) + a.prepaid.reduce((s, p) => s + p.principal, 0));
    const overpayment = sumOf((a) => a.overpayment);
    expect(penalty + interest + principal + overpayment).toBe(paid);
    expect({ penalty, overpayment, interestCancelled: sumOf((a) => a.prepaid.reduce((s, p) => s + p.interestCancelled, 0)) }).toEqual({
      penalty: 0,
      overpayment: 0,
      interestCancelled: 0,
    });
    // Both paths were taken: instalment 1's principal paid, and principal prepaid beyond it.
    expect(allocations.some((a) => a.prepaid.length > 0)).toBe(true);

    // The view lists the most recent payments; all 200 are asked for.
    const after = await getJson(`/loans/${LOAN}?paymentsLimit=${PAYMENTS}`, 'viewer');
    expect(after.status).toBe('active');
    expect(after.paymentsTotal).toBe(PAYMENTS);
    expect(after.payments).toHaveLength(PAYMENTS);
    expect(after.payments.map((p: { paymentId: string }) => p.paymentId).sort()).toEqual(payments.map((p) => p.paymentId).sort());
    // Each payment is smaller than instalment 1: the first ones pay it as scheduled, its full interest
    // included, before its due date; the rest prepay principal (interest already paid is never given back).
    expect(after.schedule[0].status).toBe('paid');
    expect(after.schedule[0].outstanding.total).toBe('0.00');
    const rescheduled = (pick: (r: { principal: number; interest: number }) => number) =>
      sumOf((a) => (a.reamortised?.instalments ?? []).reduce((s, r) => s + pick(r), 0));
    // Re-amortisation only moves principal between instalments; it lowers the interest scheduled.
    expect(rescheduled((r) => r.principal)).toBe(0);
    const scheduled = (view: { schedule: { outstanding: { principal: string; interest: string } }[] }, field: 'principal' | 'interest') =>
      view.schedule.reduce((sum, line) => sum + cents(line.outstanding[field]), 0);
    expect({
      principal: cents(before.balances.principalOutstanding) - cents(after.balances.principalOutstanding),
      interest: scheduled(before, 'interest') - scheduled(after, 'interest'),
    }).toEqual({ principal, interest: interest + rescheduled((r) => r.interest) });
    expect(after.balances.overpaymentHeld).toBe('0.00');

    expect(engine!.stderr).toBe('');
  }, 90_000);
});
