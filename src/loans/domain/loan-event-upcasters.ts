import type { EventUpcaster } from '../../kernel/event-store/event-upcasters.js';
import { LENDING_POLICY_PRESETS } from '../../policies/lending-policy.js';
import type { LoanOriginatedData } from './loan-events.js';

/**
 * LoanOriginated version 1 is the shape without lending-policy presets: no `policy` and
 * no `penaltyRateSource`. Such a loan ran under what is now the `default` preset (cap 24%,
 * half-up rounding, no automatic write-off), with its penalty rate written in the contract.
 */
const loanOriginatedV1: EventUpcaster = {
  type: 'LoanOriginated',
  fromVersion: 1,
  upcast(data: unknown): LoanOriginatedData {
    const v1 = data as Omit<LoanOriginatedData, 'policy' | 'penaltyRateSource'>;
    const { name, costCapAnnualRate, rounding } = LENDING_POLICY_PRESETS.default;
    return { ...v1, penaltyRateSource: 'contract', policy: { name, costCapAnnualRate, rounding } };
  },
};

export const LOAN_EVENT_UPCASTERS: readonly EventUpcaster[] = [loanOriginatedV1];
