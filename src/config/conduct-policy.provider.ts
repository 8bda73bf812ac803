import { Injectable } from '@nestjs/common';
import { AppConfig } from './app-config.js';
import { CONDUCT_POLICY_PRESETS, type ConductPolicy, defaultConductPreset } from '../policies/conduct-policy.js';
import { type ConductPolicyOverridesByPreset, parseConductPolicyOverrides, withOverrides } from '../policies/conduct-policy-overrides.js';

/** The conduct policy in force for a loan, from the CONDUCT_POLICY and CONDUCT_POLICY_OVERRIDES settings. */
@Injectable()
export class ConductPolicies {
  private readonly overrides: ConductPolicyOverridesByPreset;

  constructor(private readonly config: AppConfig) {
    // Validated at start-up, so it parses.
    this.overrides = parseConductPolicyOverrides(config.CONDUCT_POLICY_OVERRIDES) as ConductPolicyOverridesByPreset;
  }

  forCurrency(currency: string): ConductPolicy {
    const preset = this.config.CONDUCT_POLICY === 'by-currency' ? defaultConductPreset(currency) : this.config.CONDUCT_POLICY;
    return withOverrides(CONDUCT_POLICY_PRESETS[preset], this.overrides[preset] ?? {});
  }
}
