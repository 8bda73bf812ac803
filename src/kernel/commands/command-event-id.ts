import { hash } from 'node:crypto';
import { parse as parseUuid, v5 as uuidv5 } from 'uuid';

/** Namespace for event ids derived from command ids (UUIDv5), so that a repeated command maps to the same ids. */
const EVENT_ID_NAMESPACE = '5b0c9d0e-3f9a-4b7e-9a55-4f1c2a7e0d11';
const NAMESPACE_BYTES = Buffer.from(parseUuid(EVENT_ID_NAMESPACE));
/** Names longer than this take uuid's own path: no stream and command id come near it. */
const NAME_BUFFER_BYTES = 1024;
const nameBuffer = Buffer.alloc(NAMESPACE_BYTES.length + NAME_BUFFER_BYTES);
NAMESPACE_BYTES.copy(nameBuffer);
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * The id of the `index`th event a command appends to a stream. A command id names a command
 * within its stream (a payment id is unique within its loan, not across loans), so the
 * stream is part of what the id is derived from: the same payment id on two loans gives
 * two sets of event ids. Events stored before this rule keep the ids they were given.
 */
export function commandEventId(stream: string, commandId: string, index: number): string {
  return uuidV5(`${stream}/${commandId}/${index}`);
}

/**
 * UUIDv5 (RFC 9562) of an ASCII name in the namespace, as uuid's v5 makes it, with Node's
 * one-shot SHA-1 over one reused buffer: every payment derives its events' ids (and the
 * idempotency lookup its first one), and uuid's parsing of the namespace, byte-by-byte
 * encoding and Hash object per call were ~4% of a payment's CPU on the request thread. Any
 * other name (never a stream and a client id, which are ASCII) goes to uuid itself.
 */
function uuidV5(name: string): string {
  if (name.length > NAME_BUFFER_BYTES || !ASCII_ONLY.test(name)) return uuidv5(name, EVENT_ID_NAMESPACE);
  const end = NAMESPACE_BYTES.length + nameBuffer.write(name, NAMESPACE_BYTES.length, 'latin1');
  const digest = hash('sha1', nameBuffer.subarray(0, end), 'hex');
  // Version 5 in the high nibble of byte 6; the RFC variant (10xx) in the high bits of byte 8.
  const variant = ((parseInt(digest[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-${variant}${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
}
