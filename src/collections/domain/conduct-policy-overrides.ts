import type { ConductPolicy } from './conduct-policy.js';

/** Settings a lender may change on top of a preset; `null` removes a limit. */
export type ConductPolicyOverrides = Partial<Omit<ConductPolicy, 'name'>>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const positiveInteger = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;

const CHECKS: Record<keyof ConductPolicyOverrides, (value: unknown) => boolean> = {
  quietHours: (v) => typeof v === 'object' && v !== null && TIME.test(String((v as { start?: unknown }).start)) && TIME.test(String((v as { end?: unknown }).end)),
  maxConnectedCallsPerDay: (v) => v === null || positiveInteger(v),
  maxUnansweredAttemptsPerDay: (v) => v === null || positiveInteger(v),
  rollingCallAttempts: (v) => v === null || (typeof v === 'object' && positiveInteger((v as { max?: unknown }).max) && positiveInteger((v as { days?: unknown }).days)),
  daysAfterConversation: (v) => v === null || positiveInteger(v),
  thirdParty: (v) => v === 'only-when-debtor-unreachable' || v === 'location-information-only',
  recordRetention: (v) => typeof v === 'string' && v.length > 0,
};

/** Parses the JSON of overrides, naming every unknown or malformed setting. */
export function parseConductPolicyOverrides(json: string): ConductPolicyOverrides | string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return ['is not JSON'];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return ['must be a JSON object'];
  const problems = Object.entries(parsed).flatMap(([key, value]) => {
    const check = CHECKS[key as keyof ConductPolicyOverrides];
    if (!check) return [`${key} is not a conduct setting (${Object.keys(CHECKS).join(', ')})`];
    return check(value) ? [] : [`${key} has an invalid value ${JSON.stringify(value)}`];
  });
  if (problems.length > 0) return problems;
  // JSON has no undefined: a null limit means "no such limit".
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, value ?? undefined])) as ConductPolicyOverrides;
}

/** The preset with the lender's overrides; the recorded name says which settings were changed. */
export function withOverrides(preset: ConductPolicy, overrides: ConductPolicyOverrides): ConductPolicy {
  const changed = Object.keys(overrides);
  if (changed.length === 0) return preset;
  return { ...preset, ...overrides, name: `${preset.name}+${changed.sort().join(',')}` };
}
