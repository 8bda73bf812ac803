import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CONDUCT_POLICY_PRESETS, type ConductPolicy, defaultConductPreset } from './domain/conduct-policy.js';

/** The conduct policy in force for a loan, from the CONDUCT_POLICY setting. */
@Injectable()
export class ConductPolicies {
  constructor(private readonly config: AppConfig) {}

  forCurrency(currency: string): ConductPolicy {
    const preset = this.config.CONDUCT_POLICY === 'by-currency' ? defaultConductPreset(currency) : this.config.CONDUCT_POLICY;
    return CONDUCT_POLICY_PRESETS[preset];
  }
}
