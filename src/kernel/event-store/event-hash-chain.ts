import { canonicalJson, canonicalObject } from '../canonical-json.js';
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

/** An event as an append stores it: its hash, and its metadata as JSON text (the caller's, the previous hash, the hash). */
export interface ChainedEvent {
  readonly hash: string;
  readonly metadataJson: string;
}

/**
 * `chainedMetadata` for a store that writes the metadata as JSON: the same hash and the same
 * text as `JSON.stringify(chainedMetadata(...))`, but the hashed content is written straight
 * from the caller's objects, and the stored text is the caller's metadata with the two
 * members put after it, without copying the metadata into new objects twice (issue 23: every
 * appended event goes through here). Metadata this shortcut would not write the same (it
 * names `hash` or `previousHash` itself, or has a toJSON) goes the long way.
 */
export function chainEvent(type: string, data: unknown, metadata: EventMetadata, recordedAt: string, previousHash: string | null): ChainedEvent {
  if (!chainsInPlace(type, data, metadata, recordedAt, previousHash)) {
    const chained = chainedMetadata(type, data, metadata, recordedAt, previousHash);
    return { hash: chained[EVENT_HASH] as string, metadataJson: JSON.stringify(chained) };
  }
  const keys = Object.keys(metadata);
  keys.push(PREVIOUS_EVENT_HASH);
  keys.sort();
  // canonicalJson({ type, data, metadata: { ...metadata, previousHash }, recordedAt }): its keys in their sorted order.
  const content =
    '{"data":' +
    canonicalJson(data) +
    ',"metadata":' +
    canonicalObject(metadata, keys, { key: PREVIOUS_EVENT_HASH, value: previousHash }) +
    ',"recordedAt":' +
    JSON.stringify(recordedAt) +
    ',"type":' +
    JSON.stringify(type) +
    '}';
  const hash = sha256Hex(content);
  // JSON.stringify({ ...metadata, previousHash, hash }): the caller's members, then the two.
  const callers = JSON.stringify(metadata);
  const chain = `"${PREVIOUS_EVENT_HASH}":${JSON.stringify(previousHash)},"${EVENT_HASH}":"${hash}"}`;
  return { hash, metadataJson: callers === '{}' ? `{${chain}` : `${callers.slice(0, -1)},${chain}` };
}

function chainsInPlace(type: unknown, data: unknown, metadata: unknown, recordedAt: unknown, previousHash: unknown): metadata is EventMetadata {
  return (
    typeof type === 'string' &&
    typeof recordedAt === 'string' &&
    data !== undefined &&
    (previousHash === null || typeof previousHash === 'string') &&
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    typeof (metadata as { toJSON?: unknown }).toJSON !== 'function' &&
    !(EVENT_HASH in metadata) &&
    !(PREVIOUS_EVENT_HASH in metadata)
  );
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
