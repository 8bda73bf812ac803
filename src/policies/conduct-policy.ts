/**
 * Collection conduct rules per preset (DESIGN.md §4). Every number can be overridden; the
 * preset only gives defaults.
 */
export interface ConductPolicy {
  readonly name: string;
  /** No outbound contact from `start` until `end` in the borrower's local time ("HH:MM", end exclusive of start). */
  readonly quietHours: { readonly start: string; readonly end: string };
  /** At most this many connected phone calls per debtor per local day (cn); undefined = no such limit. */
  readonly maxConnectedCallsPerDay: number | undefined;
  /** At most this many unanswered phone attempts per debtor per local day (cn). */
  readonly maxUnansweredAttemptsPerDay: number | undefined;
  /** At most this many call attempts about one loan in any rolling window of days (us: 7 in 7). */
  readonly rollingCallAttempts: { readonly max: number; readonly days: number } | undefined;
  /** No call about a loan within this many days after a telephone conversation about it (us: 7). */
  readonly daysAfterConversation: number | undefined;
  /** cn: third parties only while the debtor is unreachable; us: location information only. */
  readonly thirdParty: 'only-when-debtor-unreachable' | 'location-information-only';
  readonly recordRetention: string;
}

export const CONDUCT_POLICY_PRESETS = {
  // NIFA 2024 guideline, GB/T 45251—2025 (quiet hours); CBA 2026 guideline (frequency).
  cn: {
    name: 'cn',
    quietHours: { start: '22:00', end: '08:00' },
    maxConnectedCallsPerDay: 3,
    maxUnansweredAttemptsPerDay: 6,
    rollingCallAttempts: undefined,
    daysAfterConversation: undefined,
    thirdParty: 'only-when-debtor-unreachable',
    recordRetention: 'at least 5 years',
  },
  // Regulation F: 12 CFR 1006.6(b)(1)(i), 1006.14(b)(2), 1006.14(h), 1006.100.
  us: {
    name: 'us',
    quietHours: { start: '21:00', end: '08:00' },
    maxConnectedCallsPerDay: undefined,
    maxUnansweredAttemptsPerDay: undefined,
    rollingCallAttempts: { max: 7, days: 7 },
    daysAfterConversation: 7,
    thirdParty: 'location-information-only',
    recordRetention: 'at least 3 years after last activity',
  },
} as const satisfies Record<string, ConductPolicy>;

export type ConductPolicyPreset = keyof typeof CONDUCT_POLICY_PRESETS;

/** The default preset for a loan's currency: Regulation F for USD, the Chinese guidelines otherwise. */
export function defaultConductPreset(currency: string): ConductPolicyPreset {
  return currency === 'USD' ? 'us' : 'cn';
}
