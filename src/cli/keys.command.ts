import { type ApiKeyEntry, isPrincipalName } from '../auth/api-key-entry.js';
import { keyIdOf } from '../auth/api-key-registry.js';
import { apiKeysFileExists, readApiKeysFile, writeApiKeysFile } from '../auth/api-keys-file.js';
import { generateApiKeySecret, hashApiKeySecret } from '../auth/api-key-secret.js';
import { ROLES, isRole } from '../auth/roles.js';
import type { AppConfig } from '../config/app-config.js';
import { UsageError } from './usage-error.js';

/**
 * `arrears keys add|list|revoke`: manage the keys file (API_KEYS_FILE). A new key's secret
 * is printed once and stored only as its hash; a running engine picks up the file's
 * changes within a couple of seconds.
 */
type KeysConfig = Pick<AppConfig, 'API_KEYS' | 'API_KEYS_FILE'>;

function keysFile(config: KeysConfig): { file: string; current: () => ApiKeyEntry[] } {
  if (config.API_KEYS !== '') throw new UsageError('Keys are configured by the API_KEYS setting here; change that setting instead of the keys file');
  const file = config.API_KEYS_FILE;
  return { file, current: () => (apiKeysFileExists(file) ? readApiKeysFile(file) : []) };
}

/** `arrears keys add --principal NAME --role ROLE...`: prints the new key's secret once. */
export function addKey(config: KeysConfig, { principal, role: roles = [] }: { principal?: string; role?: string[] }, now: () => Date = () => new Date()): number {
  const { file, current } = keysFile(config);
  if (!isPrincipalName(principal)) throw new UsageError('keys add needs --principal NAME (1-100 characters of A-Z a-z 0-9 . _ : @ -)');
  if (roles.length === 0 || !roles.every(isRole)) throw new UsageError(`keys add needs one or more --role, each one of ${ROLES.join(', ')}`);
  const secret = generateApiKeySecret();
  const entry: ApiKeyEntry = { principal, roles: [...new Set(roles)].filter(isRole), sha256: hashApiKeySecret(secret), createdAt: now().toISOString() };
  writeApiKeysFile(file, [...current(), entry]);
  // The hash too, for API_KEYS where keys are configured in the environment.
  process.stdout.write(`${JSON.stringify({ principal, roles: entry.roles, keyId: keyIdOf(entry), sha256: entry.sha256, secret })}\n`);
  process.stderr.write('The secret is shown this once; only its hash is kept.\n');
  return 0;
}

/** `arrears keys list`: principals, roles and key ids, one JSON line each. */
export function listKeys(config: KeysConfig): number {
  for (const entry of keysFile(config).current()) {
    process.stdout.write(`${JSON.stringify({ principal: entry.principal, roles: entry.roles, keyId: keyIdOf(entry), createdAt: entry.createdAt ?? null })}\n`);
  }
  return 0;
}

/** `arrears keys revoke --principal NAME | --key-id ID`: exit 3 when no key matches. */
export function revokeKeys(config: KeysConfig, { principal, keyId }: { principal?: string; keyId?: string }): number {
  const { file, current } = keysFile(config);
  if ((principal === undefined) === (keyId === undefined)) throw new UsageError('keys revoke needs either --principal NAME (all its keys) or --key-id ID');
  const keys = current();
  const kept = keys.filter((entry) => (principal !== undefined ? entry.principal !== principal : keyIdOf(entry) !== keyId));
  if (kept.length === keys.length) {
    process.stderr.write(`No key matches ${principal !== undefined ? `principal ${principal}` : `key id ${keyId}`}\n`);
    return 3;
  }
  writeApiKeysFile(file, kept);
  process.stdout.write(`${JSON.stringify({ revoked: keys.length - kept.length })}\n`);
  return 0;
}
