import { hash } from 'node:crypto';

/**
 * SHA-256 of a text (UTF-8) as lowercase hex. Node's one-shot `hash` rather than a Hash
 * object: every command and every appended event is hashed on the request path, and the
 * object costs more than the digest of a short text.
 */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
