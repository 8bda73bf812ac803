import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../kernel/sha256-hex.js';

const SECRET_PREFIX = 'arr_';

/** A new key: 32 random bytes, so guessing one is hopeless and a fast hash is enough to store it. */
export function generateApiKeySecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * How a key is stored: its SHA-256. The secret has 256 bits of entropy, so a slow
 * password hash would add cost to every request and no protection.
 */
export function hashApiKeySecret(secret: string): string {
  return sha256Hex(secret);
}
