import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type ApiKeyEntry, parseApiKeyEntries } from './api-key-entry.js';

export class ApiKeysFileError extends Error {}

/** The keys file, `{ "keys": [ { principal, roles, sha256, createdAt } ] }`: hashes only, never a secret. */
export function readApiKeysFile(path: string): ApiKeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ApiKeysFileError(`API_KEYS_FILE ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  const keys = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as { keys?: unknown }).keys : undefined;
  const parsedKeys = parseApiKeyEntries(keys, `${path} keys`);
  if (parsedKeys.problems) throw new ApiKeysFileError(parsedKeys.problems.join('\n'));
  return parsedKeys.entries;
}

export function apiKeysFileExists(path: string): boolean {
  return existsSync(path);
}

/** Writes the whole file anew beside the old one and renames it over: a crash leaves one or the other, never half. */
export function writeApiKeysFile(path: string, entries: readonly ApiKeyEntry[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ keys: entries }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
