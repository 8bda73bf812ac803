import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

/** SHA-256 over canonical JSON: the same command hashes the same whatever its key order. */
export function commandHash(command: unknown): string {
  return createHash('sha256').update(canonicalJson(command)).digest('hex');
}
