import { parseArgs } from 'node:util';
import { type ApiKeyEntry, isPrincipalName } from '../auth/api-key-entry.js';
import { keyIdOf } from '../auth/api-key-registry.js';
import { apiKeysFileExists, readApiKeysFile, writeApiKeysFile } from '../auth/api-keys-file.js';
import { generateApiKeySecret, hashApiKeySecret } from '../auth/api-key-secret.js';
import { ROLES, isRole } from '../auth/roles.js';
import type { AppConfig } from '../config/app-config.js';
import { UsageError } from './usage-error.js';

/**
 * `arrears keys add|list|revoke`: manages the keys file (API_KEYS_FILE). A new key's
 * secret is printed once and stored only as its hash; a running engine picks up the
 * file's changes within a couple of seconds.
 */
export function keysCommand(config: Pick<AppConfig, 'API_KEYS' | 'API_KEYS_FILE'>, args: string[], now: () => Date = () => new Date()): number {
  if (config.API_KEYS !== '') throw new UsageError('Keys are configured by the API_KEYS setting here; change that setting instead of the keys file');
  const [action, ...rest] = args;
  const file = config.API_KEYS_FILE;
  const current = () => (apiKeysFileExists(file) ? readApiKeysFile(file) : []);
  switch (action) {
    case 'add': {
      const { values } = parseArgs({ args: rest, options: { principal: { type: 'string' }, role: { type: 'string', multiple: true } }, strict: true });
      const { principal, role: roles = [] } = values;
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
    case 'list': {
      parseArgs({ args: rest, options: {}, strict: true });
      for (const entry of current()) {
        process.stdout.write(`${JSON.stringify({ principal: entry.principal, roles: entry.roles, keyId: keyIdOf(entry), createdAt: entry.createdAt ?? null })}\n`);
      }
      return 0;
    }
    case 'revoke': {
      const { values } = parseArgs({ args: rest, options: { principal: { type: 'string' }, 'key-id': { type: 'string' } }, strict: true });
      const { principal, 'key-id': keyId } = values;
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
    default:
      throw new UsageError(action ? `Unknown keys action: ${action}` : 'keys needs an action: add, list or revoke');
  }
}
