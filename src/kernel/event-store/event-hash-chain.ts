import { canonicalJson } from '../canonical-json.js';
import { sha256Hex } from '../sha256-hex.js';
import type { EventMetadata } from './event-store.port.js';

/** Metadata keys of the chain: the event's own hash and the hash of the event before it in its stream (null for the first). */
export const EVENT_HASH = 'hash';
export const PREVIOUS_EVENT_HASH = 'previousHash';

interface HashedContent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
}

/**
 * Tamper evidence: SHA-256 over the canonical JSON of the event's type, data, metadata
 * (holding the previous event's hash) and recorded instant. Changing any of them, or
 * removing or reordering an event, breaks the chain from there on.
 */
export function eventHash({ type, data, metadata, recordedAt }: HashedContent): string {
  const { [EVENT_HASH]: _own, ...chained } = metadata;
  return sha256Hex(canonicalJson({ type, data, metadata: chained, recordedAt }));
}

/** The metadata to store: the caller's, the previous hash, and the hash over it all. */
export function chainedMetadata(type: string, data: unknown, metadata: EventMetadata, recordedAt: string, previousHash: string | null): EventMetadata {
  const chained = { ...metadata, [PREVIOUS_EVENT_HASH]: previousHash };
  return { ...chained, [EVENT_HASH]: eventHash({ type, data, metadata: chained, recordedAt }) };
}

/** Where a stream's chain stands after the events checked so far. */
export interface ChainLink {
  readonly revision: number;
  /** Null for events stored before the chain existed: allowed only before a stream's first hashed event. */
  readonly hash: string | null;
}

export type ChainProblem = 'altered' | 'chain-broken' | 'missing-hash' | 'revision-gap' | 'unreadable';

/**
 * What is wrong with an event given the link before it in its stream (undefined for its
 * first event): its content no longer matches its hash, it does not point at the previous
 * event's hash, or it lost its hash after the chain began.
 */
export function chainProblemOf(
  event: { readonly type: string; readonly data: unknown; readonly metadata: EventMetadata; readonly recordedAt: string; readonly revision: number },
  previous: ChainLink | undefined,
): { problem: ChainProblem; detail: string } | undefined {
  const expectedRevision = previous ? previous.revision + 1 : 0;
  if (event.revision !== expectedRevision) return { problem: 'revision-gap', detail: `expected revision ${expectedRevision}` };
  let metadata: EventMetadata;
  let data: unknown;
  try {
    metadata = event.metadata;
    data = event.data;
  } catch (error) {
    return { problem: 'unreadable', detail: (error as Error).message };
  }
  const hash = metadata[EVENT_HASH];
  if (typeof hash !== 'string') {
    return previous?.hash ? { problem: 'missing-hash', detail: 'the chain began earlier in this stream' } : undefined;
  }
  const pointsAt = metadata[PREVIOUS_EVENT_HASH] ?? null;
  if (pointsAt !== (previous?.hash ?? null)) return { problem: 'chain-broken', detail: `points at ${String(pointsAt)}, the previous event's hash is ${previous?.hash ?? null}` };
  if (eventHash({ type: event.type, data, metadata, recordedAt: event.recordedAt }) !== hash) {
    return { problem: 'altered', detail: 'the content no longer matches its hash' };
  }
  return undefined;
}
