import { addDays, type BusinessDate, daysBetween } from '../kernel/dates/business-date.js';
import { formatAmount, parseAmount } from '../kernel/money/amount.js';
import type { Behaviour } from './borrower-behaviour.js';
import { type CommandApi, expectOk } from './command-api.js';
import { type LoanPlan, type SimulationOptions, lastSimulatedDate, planPortfolio } from './portfolio-plan.js';
import { SeededRandom } from './seeded-random.js';
import { RECOVERY_AFTER_WRITE_OFF_DAYS, type SimulatedLoan, resolutionDay } from './simulated-loan.js';

const CURRENCY = 'CNY';
const TIME_ZONE = 'Asia/Shanghai';
const UTC_OFFSET = '+08:00';
/** Calls that break the quiet hours (21:00–08:00 under the cn preset): a few collectors do. */
const OUT_OF_HOURS_CALL_CHANCE = 0.05;
const CONNECTED_CALL_CHANCE = 0.4;

export interface SimulationSummary {
  readonly loans: number;
  readonly days: number;
  readonly lastBusinessDate: BusinessDate;
  readonly byBehaviour: Readonly<Record<Behaviour, number>>;
  readonly payments: number;
  readonly contacts: number;
  readonly contactsOutsideTheRules: number;
}

interface LoanView {
  schedule: { number: number; dueOn: string; status: string; due: { principal: string; interest: string; penalty: string }; outstanding: { total: string } }[];
}

/**
 * Builds a portfolio through the command API, day by day: originations, disbursements,
 * payments as each borrower's behaviour has them, restructurings, write-offs, recoveries
 * and collection calls, then close of business for the day. The same seed sends the same
 * commands in the same order, so the event log has the same events.
 */
export async function simulatePortfolio(
  api: CommandApi,
  options: SimulationOptions,
  onDayClosed: (day: number, days: number, businessDate: BusinessDate) => void = () => {},
): Promise<SimulationSummary> {
  const plans = planPortfolio(options);
  // Conduct is drawn from its own stream so that changing it leaves the loans' plan alone.
  const conduct = new SeededRandom(options.seed ^ 0x5eed);
  const loans: SimulatedLoan[] = plans.map((plan) => ({ plan, instalments: [], settled: false, paidOff: false, payments: 0 }));
  const last = lastSimulatedDate(options);
  const days = daysBetween(options.startOn, last) + 1;
  let contacts = 0;
  let contactsOutsideTheRules = 0;

  const pay = async (loan: SimulatedLoan, amount: string, on: BusinessDate) => {
    loan.payments += 1;
    const result = await expectOk<{ paidOff: boolean }>(api, 'POST', `/loans/${loan.plan.loanId}/payments`, {
      paymentId: `${loan.plan.loanId}-P${loan.payments}`,
      amount,
      receivedOn: on,
      channel: 'bank-transfer',
      reference: `sim-${loan.plan.loanId}-${loan.payments}`,
    });
    loan.paidOff = result.paidOff;
  };
  const view = (loan: SimulatedLoan) => expectOk<LoanView>(api, 'GET', `/loans/${loan.plan.loanId}`);
  const refreshInstalments = async (loan: SimulatedLoan, after: BusinessDate) => {
    loan.instalments = (await view(loan)).schedule
      .filter((line) => line.dueOn > after && line.status !== 'paid')
      .map((line) => ({ number: line.number, dueOn: line.dueOn, amount: sum([line.due.principal, line.due.interest]) }));
  };
  const payEverythingDue = async (loan: SimulatedLoan, on: BusinessDate) => {
    const due = (await view(loan)).schedule.filter((line) => line.dueOn <= on).map((line) => line.outstanding.total);
    const amount = sum(due);
    if (parseAmount(amount, CURRENCY) !== 0) await pay(loan, amount, on);
  };

  for (let day = 0; day < days; day++) {
    const today = addDays(options.startOn, day);
    for (const loan of loans) {
      const { plan } = loan;
      if (today === plan.originatedOn) await expectOk(api, 'POST', '/loans', originationOf(plan));
      if (today === plan.disbursedOn) {
        await expectOk(api, 'POST', `/loans/${plan.loanId}/disbursements`, { disbursedOn: today, reference: `sim-wire-${plan.loanId}` });
        await refreshInstalments(loan, today);
      }
      if (today < plan.disbursedOn || loan.paidOff) continue;

      if (loan.writtenOffOn) {
        if (today === addDays(loan.writtenOffOn, RECOVERY_AFTER_WRITE_OFF_DAYS)) await pay(loan, formatAmount(Math.round(parseAmount(plan.principal, CURRENCY) as number / 10), CURRENCY), today);
        continue;
      }
      await actOnInstalments(loan, today);

      const overdueSince = overdueSinceFor(loan, today);
      if (overdueSince !== undefined) {
        const daysOverdue = daysBetween(overdueSince, today);
        if (daysOverdue >= 4 && daysOverdue % 7 === 4) {
          const outOfHours = conduct.chance(OUT_OF_HOURS_CALL_CHANCE);
          const connected = conduct.chance(CONNECTED_CALL_CHANCE);
          const recorded = await expectOk<{ violations: unknown[] }>(api, 'POST', `/borrowers/${plan.borrowerId}/collection-contacts`, {
            contactId: `${plan.loanId}-C${today}`,
            loanId: plan.loanId,
            at: `${today}T${outOfHours ? '22:30' : '10:00'}:00${UTC_OFFSET}`,
            channel: 'phone',
            party: 'borrower',
            direction: 'outbound',
            connected,
            outcome: connected ? conduct.pick(['reached', 'hardship-claimed', 'refused'] as const) : 'no-answer',
            agentId: `sim-agent-${conduct.int(1, 8)}`,
          });
          contacts += 1;
          if (recorded.violations.length > 0) contactsOutsideTheRules += 1;
        }
      }
    }
    await expectOk(api, 'POST', '/close-of-business', { businessDate: today });
    onDayClosed(day + 1, days, today);
  }

  async function actOnInstalments(loan: SimulatedLoan, today: BusinessDate): Promise<void> {
    const { plan } = loan;
    const troubled = plan.behaviour !== 'on-time' && !loan.settled;
    for (const instalment of loan.instalments) {
      if (instalment.dueOn === today && (!troubled || instalment.number < plan.troubleFrom)) await pay(loan, instalment.amount, today);
      else if (instalment.dueOn === today && plan.behaviour !== 'late') loan.troubleSince ??= today;
      else if (plan.behaviour === 'late' && addDays(instalment.dueOn, plan.lateDays) === today && instalment.number >= plan.troubleFrom) await payEverythingDue(loan, today);
      if (loan.paidOff) return;
    }
    if (!troubled || resolutionDay(loan) !== today) return;
    loan.settled = true;
    switch (plan.behaviour) {
      case 'cured':
        await payEverythingDue(loan, today);
        break;
      case 'restructured':
        // A hardship plan as lenders offer it: a month's holiday, and six more months to repay what is left.
        await expectOk(api, 'POST', `/loans/${plan.loanId}/restructurings`, {
          restructuringId: `${plan.loanId}-R1`,
          effectiveOn: today,
          reason: 'hardship',
          paymentHolidayMonths: 1,
          termMonths: loan.instalments.filter((i) => i.number >= plan.troubleFrom).length + 6,
          capitalise: true,
        });
        await refreshInstalments(loan, today);
        break;
      case 'written-off':
        await expectOk(api, 'POST', `/loans/${plan.loanId}/write-offs`, { writeOffId: `${plan.loanId}-W1`, writtenOffOn: today, reason: 'uncollectable after 95 days past due' });
        loan.writtenOffOn = today;
        break;
    }
  }

  const byBehaviour = Object.fromEntries(['on-time', 'late', 'cured', 'restructured', 'written-off'].map((b) => [b, plans.filter((p) => p.behaviour === b).length])) as Record<Behaviour, number>;
  return {
    loans: plans.length,
    days,
    lastBusinessDate: last,
    byBehaviour,
    payments: loans.reduce((n, loan) => n + loan.payments, 0),
    contacts,
    contactsOutsideTheRules,
  };
}

/** The due date a collector counts days overdue from, or undefined while the loan is not overdue. */
function overdueSinceFor(loan: SimulatedLoan, today: BusinessDate): BusinessDate | undefined {
  if (loan.plan.behaviour === 'late') {
    return loan.instalments.find((i) => i.number >= loan.plan.troubleFrom && i.dueOn < today && today < addDays(i.dueOn, loan.plan.lateDays))?.dueOn;
  }
  return loan.settled ? undefined : loan.troubleSince;
}

function originationOf(plan: LoanPlan): object {
  const assessedOn = addDays(plan.originatedOn, -1);
  return {
    loanId: plan.loanId,
    borrowerId: plan.borrowerId,
    borrowerTimeZone: TIME_ZONE,
    currency: CURRENCY,
    principal: plan.principal,
    annualInterestRate: plan.annualInterestRate,
    termMonths: plan.termMonths,
    repaymentMethod: 'equal-installment',
    originatedOn: plan.originatedOn,
    creditAssessment: { score: plan.score, grade: plan.grade, source: 'simulated-scorecard', assessedOn },
    riskDisclosure: { version: 'rd-sim', acceptedAt: `${assessedOn}T20:00:00${UTC_OFFSET}` },
  };
}

function sum(amounts: readonly string[]): string {
  return formatAmount(amounts.reduce((total, amount) => total + (parseAmount(amount, CURRENCY) as number), 0), CURRENCY);
}
