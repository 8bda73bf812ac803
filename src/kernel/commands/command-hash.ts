import { canonicalJson } from '../canonical-json.js';
import { sha256Hex } from '../sha256-hex.js';

/** SHA-256 over canonical JSON: the same command hashes the same whatever its key order. */
export function commandHash(command: unknown): string {
  return sha256Hex(canonicalJson(command));
}
