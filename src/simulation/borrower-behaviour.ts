import type { SeededRandom } from './seeded-random.js';

/** How a simulated borrower repays. */
export const BEHAVIOURS = ['on-time', 'late', 'cured', 'restructured', 'written-off'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

interface GradeProfile {
  /** Share of applicants assessed at this grade. */
  readonly share: number;
  readonly scores: readonly [number, number];
  readonly annualInterestRate: string;
  /** Chance of each way of repaying: the worse the grade, the likelier delinquency and default. */
  readonly behaviour: Readonly<Record<Behaviour, number>>;
}

/**
 * Grades as a scorecard would give them, with default risk rising from A to E, so that
 * the portfolio's overdue rate by grade shows whether the assessment predicts delinquency.
 */
export const GRADE_PROFILES: Readonly<Record<Grade, GradeProfile>> = {
  A: { share: 0.2, scores: [750, 850], annualInterestRate: '0.08', behaviour: { 'on-time': 0.9, late: 0.05, cured: 0.03, restructured: 0.01, 'written-off': 0.01 } },
  B: { share: 0.3, scores: [700, 749], annualInterestRate: '0.12', behaviour: { 'on-time': 0.8, late: 0.08, cured: 0.07, restructured: 0.02, 'written-off': 0.03 } },
  C: { share: 0.25, scores: [650, 699], annualInterestRate: '0.16', behaviour: { 'on-time': 0.66, late: 0.12, cured: 0.11, restructured: 0.04, 'written-off': 0.07 } },
  D: { share: 0.15, scores: [600, 649], annualInterestRate: '0.2', behaviour: { 'on-time': 0.5, late: 0.15, cured: 0.15, restructured: 0.06, 'written-off': 0.14 } },
  E: { share: 0.1, scores: [550, 599], annualInterestRate: '0.23', behaviour: { 'on-time': 0.35, late: 0.18, cured: 0.16, restructured: 0.08, 'written-off': 0.23 } },
};

export function drawGrade(random: SeededRandom): Grade {
  return random.weighted(Object.fromEntries(GRADES.map((grade) => [grade, GRADE_PROFILES[grade].share])) as Record<Grade, number>);
}

export function drawBehaviour(grade: Grade, random: SeededRandom): Behaviour {
  return random.weighted(GRADE_PROFILES[grade].behaviour);
}
