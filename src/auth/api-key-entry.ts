import { type Role, ROLES, isRole } from './roles.js';

/** One configured key: who it stands for, what it may do, and the hash of its secret. */
export interface ApiKeyEntry {
  /** Recorded as the actor of every event the key's commands produce. */
  readonly principal: string;
  readonly roles: readonly Role[];
  /** Hex SHA-256 of the secret; the secret itself is never stored. */
  readonly sha256: string;
  readonly createdAt?: string;
}

const PRINCIPAL_PATTERN = /^[A-Za-z0-9._:@-]{1,100}$/;

/** 1-100 characters of A-Z a-z 0-9 . _ : @ -: recorded as the actor of events. */
export const isPrincipalName = (value: unknown): value is string => typeof value === 'string' && PRINCIPAL_PATTERN.test(value);
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** Checks parsed JSON as a list of key entries; answers the entries, or every problem found. */
export type ParsedApiKeyEntries = { readonly entries: ApiKeyEntry[]; readonly problems?: undefined } | { readonly problems: string[] };

export function parseApiKeyEntries(value: unknown, source: string): ParsedApiKeyEntries {
  if (!Array.isArray(value)) return { problems: [`${source} must be a JSON array of keys`] };
  const problems: string[] = [];
  const entries: ApiKeyEntry[] = [];
  const seenHashes = new Set<string>();
  value.forEach((raw: unknown, index) => {
    const at = `${source}[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`${at} must be an object with principal, roles and sha256`);
      return;
    }
    const { principal, roles, sha256, createdAt } = raw as Record<string, unknown>;
    const before = problems.length;
    if (!isPrincipalName(principal)) {
      problems.push(`${at}.principal must be 1-100 characters of A-Z a-z 0-9 . _ : @ -`);
    }
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
      problems.push(`${at}.roles must be a non-empty list of ${ROLES.join(', ')}`);
    }
    if (typeof sha256 !== 'string' || !SHA256_PATTERN.test(sha256)) {
      problems.push(`${at}.sha256 must be the hex SHA-256 of the key (64 lower-case hex digits)`);
    } else if (seenHashes.has(sha256)) {
      problems.push(`${at}.sha256 repeats another key's`);
    }
    if (createdAt !== undefined && typeof createdAt !== 'string') problems.push(`${at}.createdAt must be a string`);
    if (problems.length > before) return;
    seenHashes.add(sha256 as string);
    entries.push({
      principal: principal as string,
      roles: [...new Set(roles as Role[])],
      sha256: sha256 as string,
      ...(createdAt !== undefined && { createdAt: createdAt as string }),
    });
  });
  return problems.length > 0 ? { problems } : { entries };
}
