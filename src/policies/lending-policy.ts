import type { AnnualRate, RoundingMode } from '../kernel/money/rate.js';

/**
 * The lender's rules that a loan is originated under. The decider receives the policy in
 * force with the command and records what it decided from it, so replay never depends on
 * today's configuration.
 */
export interface LendingPolicy {
  readonly name: string;
  /** Neither the contract nor the penalty annual rate may exceed it. */
  readonly costCapAnnualRate: AnnualRate;
  /** Default penalty rate = contract rate × this, capped (PBOC 银发〔2003〕251号: +30–50%). */
  readonly penaltyRateMultiplier: string;
  readonly defaultGracePeriodDays: number;
  readonly rounding: RoundingMode;
  /** Close of business writes a loan off once its days past due exceed this; undefined: never automatically. */
  readonly writeOffAfterDaysPastDue?: number;
}

/**
 * 24% is the judicial protection ceiling; `cn-2027` applies 4 × the one-year LPR = 12%.
 * `us` writes closed-end loans off at 120 days past due (FFIEC Uniform Retail Credit
 * Classification and Account Management Policy) under a 36% cost cap (the Military Lending
 * Act's MAPR limit, the common state benchmark).
 */
export const LENDING_POLICY_PRESETS = {
  default: {
    name: 'default',
    costCapAnnualRate: '0.24',
    penaltyRateMultiplier: '1.5',
    defaultGracePeriodDays: 3,
    rounding: 'half-up',
  },
  'cn-2027': {
    name: 'cn-2027',
    costCapAnnualRate: '0.12',
    penaltyRateMultiplier: '1.5',
    defaultGracePeriodDays: 3,
    rounding: 'half-up',
  },
  us: {
    name: 'us',
    costCapAnnualRate: '0.36',
    penaltyRateMultiplier: '1',
    defaultGracePeriodDays: 15,
    rounding: 'half-even',
    writeOffAfterDaysPastDue: 120,
  },
} as const satisfies Record<string, LendingPolicy>;

export type LendingPolicyPreset = keyof typeof LENDING_POLICY_PRESETS;
