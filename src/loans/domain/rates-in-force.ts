import { type AnnualRate, Dec, minRate } from '../../kernel/money/rate.js';
import { LENDING_POLICY_PRESETS, type LendingPolicy } from '../../policies/lending-policy.js';
import type { LoanOriginatedData } from './loan-events.js';
import type { LoanState } from './loan-state.js';

/**
 * The penalty rate a loan has when its contract names none (DESIGN.md §3): the contract
 * rate × the policy's multiplier (PBOC 银发〔2003〕251号: +30–50%), never above the cap.
 */
export function defaultPenaltyRate(annualInterestRate: AnnualRate, policy: Pick<LendingPolicy, 'penaltyRateMultiplier' | 'costCapAnnualRate'>): AnnualRate {
  return minRate(new Dec(annualInterestRate).times(policy.penaltyRateMultiplier).toString(), policy.costCapAnnualRate);
}

/** The penalty rate a restructuring at `annualInterestRate` leaves: derived again when it was the policy's default, kept when the contract set it. */
export function penaltyRateAfterRestructuring(terms: LoanOriginatedData, annualInterestRate: AnnualRate, inForce: AnnualRate): AnnualRate {
  if (terms.penaltyRateSource === 'contract') return inForce;
  const penaltyRateMultiplier = terms.policy.penaltyRateMultiplier ?? presetMultiplier(terms.policy.name) ?? undefined;
  // A policy this engine no longer knows, recorded without its multiplier: the rate stays as it was.
  if (penaltyRateMultiplier === undefined) return inForce;
  return defaultPenaltyRate(annualInterestRate, { penaltyRateMultiplier, costCapAnnualRate: terms.policy.costCapAnnualRate });
}

/** The contract rate in force: the latest restructuring's, else the one at origination. */
export function interestRateInForce(state: Pick<LoanState, 'terms' | 'restructuring'>): AnnualRate {
  return state.restructuring?.annualInterestRate ?? state.terms!.annualInterestRate;
}

/** The penalty rate in force: the latest restructuring's, else the contract's (or policy's) at origination. */
export function penaltyRateInForce(state: Pick<LoanState, 'terms' | 'restructuring'>): AnnualRate {
  return state.restructuring?.penaltyAnnualRate ?? state.terms!.penaltyAnnualRate;
}

function presetMultiplier(name: string): string | undefined {
  return (LENDING_POLICY_PRESETS as Record<string, LendingPolicy>)[name]?.penaltyRateMultiplier;
}
