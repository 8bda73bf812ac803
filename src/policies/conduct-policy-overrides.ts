import { CONDUCT_POLICY_PRESETS, type ConductPolicy, type ConductPolicyPreset } from './conduct-policy.js';

/** Settings a lender may change on top of one preset; `null` removes a limit. */
export type ConductPolicyOverrides = Partial<Omit<ConductPolicy, 'name'>>;

/** Per preset: `{"cn": {...}, "us": {...}}`, so a setting meant for one law never reaches another. */
export type ConductPolicyOverridesByPreset = Partial<Record<ConductPolicyPreset, ConductPolicyOverrides>>;

/**
 * Marks a preset's overrides as a documented legal exception (e.g. a regulator's written
 * approval): only then may a setting be looser than the law the preset encodes.
 */
const LEGAL_EXCEPTION = 'legalException';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const positiveInteger = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (v: Record<string, unknown>, keys: readonly string[]) => Object.keys(v).every((k) => keys.includes(k));

const CHECKS: Record<keyof ConductPolicyOverrides, (value: unknown) => boolean> = {
  quietHours: (v) => isObject(v) && onlyKeys(v, ['start', 'end']) && TIME.test(String(v['start'])) && TIME.test(String(v['end'])),
  maxConnectedCallsPerDay: (v) => v === null || positiveInteger(v),
  maxUnansweredAttemptsPerDay: (v) => v === null || positiveInteger(v),
  rollingCallAttempts: (v) => v === null || (isObject(v) && onlyKeys(v, ['max', 'days']) && positiveInteger(v['max']) && positiveInteger(v['days'])),
  daysAfterConversation: (v) => v === null || positiveInteger(v),
  thirdParty: (v) => v === 'only-when-debtor-unreachable' || v === 'location-information-only',
  recordRetention: (v) => typeof v === 'string' && v.length > 0,
};

/**
 * Parses CONDUCT_POLICY_OVERRIDES, naming every problem: a key that is no preset, no
 * setting (at any depth) or given twice, a malformed value, and a setting looser than the
 * law its preset encodes without a `legalException` saying why it may be.
 */
export function parseConductPolicyOverrides(json: string): ConductPolicyOverridesByPreset | string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return ['is not JSON'];
  }
  if (!isObject(parsed)) return ['must be a JSON object of presets, e.g. {"cn": {"maxConnectedCallsPerDay": 2}}'];
  const duplicates = duplicateKeys(json).map((key) => `${key} is given twice`);
  const problems = [...duplicates, ...Object.entries(parsed).flatMap(([preset, settings]) => presetProblems(preset, settings))];
  if (problems.length > 0) return problems;
  return Object.fromEntries(
    Object.entries(parsed).map(([preset, settings]) => [
      preset,
      // JSON has no undefined: a null limit means "no such limit".
      Object.fromEntries(Object.entries(settings as object).filter(([key]) => key !== LEGAL_EXCEPTION).map(([key, value]) => [key, value ?? undefined])),
    ]),
  ) as ConductPolicyOverridesByPreset;
}

function presetProblems(preset: string, settings: unknown): string[] {
  if (!(preset in CONDUCT_POLICY_PRESETS)) {
    return [`${preset} is not a conduct preset (${Object.keys(CONDUCT_POLICY_PRESETS).join(', ')}): overrides are per preset, e.g. {"cn": {...}}`];
  }
  if (!isObject(settings)) return [`${preset} must be an object of settings`];
  const problems = Object.entries(settings).flatMap(([key, value]) => {
    if (key === LEGAL_EXCEPTION) return typeof value === 'string' && value.trim().length > 0 ? [] : [`${preset}.${LEGAL_EXCEPTION} must name the documented exception`];
    const check = CHECKS[key as keyof ConductPolicyOverrides];
    if (!check) return [`${preset}.${key} is not a conduct setting (${Object.keys(CHECKS).join(', ')})`];
    return check(value) ? [] : [`${preset}.${key} has an invalid value ${JSON.stringify(value)}`];
  });
  if (problems.length > 0 || LEGAL_EXCEPTION in settings) return problems;
  const law = CONDUCT_POLICY_PRESETS[preset as ConductPolicyPreset];
  return Object.entries(settings)
    .filter(([key, value]) => looserThanLaw(law, key as keyof ConductPolicyOverrides, value))
    .map(([key, value]) => `${preset}.${key} ${JSON.stringify(value)} is looser than the ${preset} preset's law (${JSON.stringify(law[key as keyof ConductPolicyOverrides] ?? null)}); add "${LEGAL_EXCEPTION}" naming the documented exception to allow it`);
}

/** Whether a setting allows what the preset (the law it encodes) forbids. */
function looserThanLaw(law: ConductPolicy, key: keyof ConductPolicyOverrides, value: unknown): boolean {
  switch (key) {
    case 'quietHours':
      return !coversQuietHours(value as ConductPolicy['quietHours'], law.quietHours);
    case 'maxConnectedCallsPerDay':
    case 'maxUnansweredAttemptsPerDay':
    case 'daysAfterConversation': {
      const limit = law[key];
      if (limit === undefined) return false;
      if (value === null) return true;
      return key === 'daysAfterConversation' ? (value as number) < limit : (value as number) > limit;
    }
    case 'rollingCallAttempts': {
      const limit = law.rollingCallAttempts;
      if (limit === undefined) return false;
      if (value === null) return true;
      const { max, days } = value as { max: number; days: number };
      return max > limit.max || days < limit.days;
    }
    case 'thirdParty':
      return value !== law.thirdParty;
    case 'recordRetention':
      return false;
  }
}

/** Whether every minute the law keeps quiet is quiet under `quiet` too. */
function coversQuietHours(quiet: ConductPolicy['quietHours'], law: ConductPolicy['quietHours']): boolean {
  const minuteOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  const isQuiet = ({ start, end }: ConductPolicy['quietHours'], minute: number) => {
    const [from, to] = [minuteOf(start), minuteOf(end)];
    return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
  };
  for (let minute = 0; minute < 24 * 60; minute++) if (isQuiet(law, minute) && !isQuiet(quiet, minute)) return false;
  return true;
}

/**
 * Keys given twice in one object of the JSON text (JSON.parse silently keeps the last, so a
 * setting meant to be strict could be overridden by a later copy nobody reads), as paths.
 */
function duplicateKeys(json: string): string[] {
  const found: string[] = [];
  const frames: { keys: Set<string>; expectKey: boolean; path: string; lastKey: string }[] = [];
  const arrays: number[] = [];
  for (let i = 0; i < json.length; i++) {
    const char = json[i]!;
    if (char === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const text = JSON.parse(json.slice(i, end + 1)) as string;
      const frame = frames.at(-1);
      if (frame?.expectKey && arrays.at(-1) !== frames.length) {
        if (frame.keys.has(text)) found.push(frame.path ? `${frame.path}.${text}` : text);
        frame.keys.add(text);
        frame.lastKey = text;
        frame.expectKey = false;
      }
      i = end;
    } else if (char === '{') {
      const parent = frames.at(-1);
      frames.push({ keys: new Set(), expectKey: true, path: parent ? (parent.path ? `${parent.path}.${parent.lastKey}` : parent.lastKey) : '', lastKey: '' });
    } else if (char === '}') {
      frames.pop();
    } else if (char === '[') {
      arrays.push(frames.length);
    } else if (char === ']') {
      arrays.pop();
    } else if (char === ',' && arrays.at(-1) !== frames.length) {
      const frame = frames.at(-1);
      if (frame) frame.expectKey = true;
    }
  }
  return found;
}

/** The preset with the lender's overrides for it; the recorded name says which settings were changed. */
export function withOverrides(preset: ConductPolicy, overrides: ConductPolicyOverrides): ConductPolicy {
  const changed = Object.keys(overrides);
  if (changed.length === 0) return preset;
  return { ...preset, ...overrides, name: `${preset.name}+${changed.sort().join(',')}` };
}
