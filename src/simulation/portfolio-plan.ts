import { addDays, addMonths, type BusinessDate, daysBetween } from '../kernel/dates/business-date.js';
import { BEHAVIOURS, type Behaviour, GRADE_PROFILES, type Grade, drawBehaviour, drawGrade } from './borrower-behaviour.js';
import { SeededRandom } from './seeded-random.js';

export interface SimulationOptions {
  readonly loans: number;
  readonly months: number;
  readonly seed: number;
  /** The first simulated business date; the last is `months` later, less a day. */
  readonly startOn: BusinessDate;
}

/** One simulated loan: its terms and how its borrower will repay. */
export interface LoanPlan {
  readonly loanId: string;
  readonly borrowerId: string;
  readonly grade: Grade;
  readonly score: number;
  readonly principal: string;
  readonly annualInterestRate: string;
  readonly termMonths: number;
  readonly originatedOn: BusinessDate;
  readonly disbursedOn: BusinessDate;
  readonly behaviour: Behaviour;
  /** The first instalment the borrower misses (or pays late), for every behaviour but on-time. */
  readonly troubleFrom: number;
  /** Days after each due date a late payer pays. */
  readonly lateDays: number;
}

const TERMS = [6, 12, 24] as const;

export const lastSimulatedDate = (options: Pick<SimulationOptions, 'startOn' | 'months'>) => addDays(addMonths(options.startOn, options.months), -1);

/**
 * The portfolio a seed stands for, decided before anything is sent, so that the same seed
 * always gives the same loans and the same borrower conduct. Loans are originated in the
 * first quarter of the period, leaving time for trouble to show.
 */
export function planPortfolio(options: SimulationOptions): LoanPlan[] {
  const random = new SeededRandom(options.seed);
  const originationWindow = Math.max(1, Math.floor(daysBetween(options.startOn, lastSimulatedDate(options)) / 4));
  const plans = Array.from({ length: options.loans }, (_, index): LoanPlan => {
    const grade = drawGrade(random);
    const profile = GRADE_PROFILES[grade];
    const originatedOn = addDays(options.startOn, random.int(0, originationWindow - 1));
    const number = String(index + 1).padStart(5, '0');
    return {
      loanId: `SIM-${options.seed}-L${number}`,
      borrowerId: `SIM-${options.seed}-B${number}`,
      grade,
      score: random.int(...profile.scores),
      principal: `${random.int(30, 500) * 100}.00`,
      annualInterestRate: profile.annualInterestRate,
      termMonths: random.pick(TERMS),
      originatedOn,
      disbursedOn: addDays(originatedOn, random.int(0, 3)),
      behaviour: drawBehaviour(grade, random),
      troubleFrom: random.int(1, 2),
      lateDays: random.int(5, 25),
    };
  });
  return withEveryBehaviour(plans);
}

/**
 * A small portfolio may draw no restructuring or write-off at all; one of each kind is
 * then given to an on-time borrower, early enough in the period to show, so that every
 * simulated portfolio of five loans or more has every kind of loan.
 */
function withEveryBehaviour(plans: LoanPlan[]): LoanPlan[] {
  if (plans.length < BEHAVIOURS.length) return plans;
  const missing = BEHAVIOURS.filter((behaviour) => !plans.some((plan) => plan.behaviour === behaviour));
  const result = [...plans];
  const candidates = result
    .map((plan, index) => ({ plan, index }))
    .filter(({ plan }) => plan.behaviour === 'on-time')
    .sort((a, b) => a.plan.originatedOn.localeCompare(b.plan.originatedOn) || a.index - b.index);
  for (const behaviour of missing) {
    const candidate = candidates.shift() ?? { plan: result[0]!, index: 0 };
    result[candidate.index] = { ...candidate.plan, behaviour, troubleFrom: 1 };
  }
  return result;
}
