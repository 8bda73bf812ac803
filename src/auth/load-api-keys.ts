import { InvalidConfigurationError, type AppConfig } from '../config/app-config.js';
import { type ApiKeyEntry, parseApiKeyEntries } from './api-key-entry.js';
import { ApiKeyRegistry } from './api-key-registry.js';
import { ApiKeysFileError, apiKeysFileExists, readApiKeysFile, writeApiKeysFile } from './api-keys-file.js';
import { generateApiKeySecret, hashApiKeySecret } from './api-key-secret.js';
import { ROLES, type Role } from './roles.js';

/** A development key made on first start, whose secret is shown once and kept nowhere. */
export interface GeneratedApiKey {
  readonly principal: string;
  readonly role: Role;
  readonly secret: string;
}

export interface LoadedApiKeys {
  readonly registry: ApiKeyRegistry;
  readonly generated: readonly GeneratedApiKey[];
  /** The file the keys came from, to follow for changes; undefined when they came from API_KEYS. */
  readonly file?: string;
}

/**
 * The keys the engine accepts: `API_KEYS` (a JSON list) when set, else `API_KEYS_FILE`.
 * On the embedded default, a missing file is created with one development key per role,
 * so that `npm start` stays one command; elsewhere a missing file stops the start.
 */
export function loadApiKeys(
  config: Pick<AppConfig, 'API_KEYS' | 'API_KEYS_FILE' | 'EVENT_STORE'>,
  now: () => Date = () => new Date(),
): LoadedApiKeys {
  if (config.API_KEYS !== '') {
    return { registry: new ApiKeyRegistry(fromEnvironment(config.API_KEYS)), generated: [] };
  }
  try {
    if (apiKeysFileExists(config.API_KEYS_FILE)) {
      return { registry: new ApiKeyRegistry(readApiKeysFile(config.API_KEYS_FILE)), generated: [], file: config.API_KEYS_FILE };
    }
  } catch (error) {
    if (error instanceof ApiKeysFileError) throw new InvalidConfigurationError([error.message]);
    throw error;
  }
  if (config.EVENT_STORE !== 'sqlite') {
    throw new InvalidConfigurationError([
      `API_KEYS_FILE=${JSON.stringify(config.API_KEYS_FILE)}: no such file, and API_KEYS is not set; development keys are made only for the embedded default`,
    ]);
  }
  const createdAt = now().toISOString();
  const generated = ROLES.map((role) => ({ principal: `dev-${role}`, role, secret: generateApiKeySecret() }));
  const entries: ApiKeyEntry[] = generated.map(({ principal, role, secret }) => ({ principal, roles: [role], sha256: hashApiKeySecret(secret), createdAt }));
  writeApiKeysFile(config.API_KEYS_FILE, entries);
  return { registry: new ApiKeyRegistry(entries), generated, file: config.API_KEYS_FILE };
}

function fromEnvironment(json: string): ApiKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new InvalidConfigurationError([`API_KEYS is not JSON: ${(error as Error).message}`]);
  }
  const parsedKeys = parseApiKeyEntries(parsed, 'API_KEYS');
  if (parsedKeys.problems) throw new InvalidConfigurationError(parsedKeys.problems);
  return parsedKeys.entries;
}

/** What the console shows once, on the first start: the secrets, which are kept nowhere else. */
export function describeGeneratedKeys(generated: readonly GeneratedApiKey[], file: string): string {
  const width = Math.max(...generated.map((key) => key.role.length));
  return [
    `Development API keys were created (hashes in ${file}). They are shown this once; keep them:`,
    ...generated.map(({ role, secret }) => `  ${role.padEnd(width)}  Authorization: Bearer ${secret}`),
    '',
  ].join('\n');
}
