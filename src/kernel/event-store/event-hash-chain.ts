import { canonicalJson, type JsonTexts, writeJsonAndCanonical } from '../canonical-json.js';
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

/** An event as an append stores it: its hash, and its data and metadata as JSON text (the metadata: the caller's, the previous hash, the hash). */
export interface ChainedEvent {
  readonly hash: string;
  readonly dataJson: string;
  readonly metadataJson: string;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/**
 * The events of one append chained one after another from `previousHash` (the stream's last
 * hash, null for a new stream), all recorded at `recordedAt`: `chainEvent` for each, with
 * what they share written once.
 */
export function chainEvents(
  events: readonly { readonly type: string; readonly data: unknown; readonly metadata?: EventMetadata }[],
  recordedAt: string,
  previousHash: string | null,
): ChainedEvent[] {
  const shared = { recordedAtJson: JSON.stringify(recordedAt), type: '', typeJson: '' };
  // The stream's last hash is checked once; those computed here are hex digests.
  let previousHashJson = previousHash === null ? 'null' : HEX_DIGEST.test(previousHash) ? `"${previousHash}"` : JSON.stringify(previousHash);
  return events.map((event) => {
    const chained = chain(event.type, event.data, event.metadata ?? {}, recordedAt, previousHash, previousHashJson, shared);
    previousHash = chained.hash;
    previousHashJson = `"${chained.hash}"`;
    return chained;
  });
}

/**
 * `chainedMetadata` for a store that writes data and metadata as JSON: the same hash and the
 * same texts as `JSON.stringify(data)` and `JSON.stringify(chainedMetadata(...))`, in one
 * walk of the data and one of the metadata (issue 23: every appended event goes through
 * here). Each walk writes a value's JSON and its canonical JSON at once, each string and
 * number written once for both; the stored metadata is the caller's with the previous hash
 * and the hash put after it. What that walk does not take (a toJSON, an object that is not
 * plain, metadata naming `hash` or `previousHash` itself...) goes the long way, as before.
 */
export function chainEvent(type: string, data: unknown, metadata: EventMetadata, recordedAt: string, previousHash: string | null): ChainedEvent {
  return chainEvents([{ type, data, metadata }], recordedAt, previousHash)[0]!;
}

function chain(
  type: string,
  data: unknown,
  metadata: EventMetadata,
  recordedAt: string,
  previousHash: string | null,
  previousHashJson: string,
  shared: { readonly recordedAtJson: string; type: string; typeJson: string },
): ChainedEvent {
  if (chainsInPlace(type, data, metadata, recordedAt, previousHash)) {
    const dataTexts: JsonTexts = { json: '', canonical: '' };
    const metadataTexts: JsonTexts = { json: '', canonical: '' };
    if (
      writeJsonAndCanonical(data, dataTexts) &&
      writeJsonAndCanonical(metadata, metadataTexts, { key: PREVIOUS_EVENT_HASH, text: previousHashJson })
    ) {
      if (shared.type !== type || shared.typeJson === '') {
        shared.type = type;
        shared.typeJson = JSON.stringify(type);
      }
      // canonicalJson({ type, data, metadata: { ...metadata, previousHash }, recordedAt }): its keys in their sorted order.
      const hash = sha256Hex(
        `{"data":${dataTexts.canonical},"metadata":${metadataTexts.canonical},"recordedAt":${shared.recordedAtJson},"type":${shared.typeJson}}`,
      );
      // JSON.stringify({ ...metadata, previousHash, hash }): the caller's members, then the two.
      const chain = `"${PREVIOUS_EVENT_HASH}":${previousHashJson},"${EVENT_HASH}":"${hash}"}`;
      const callers = metadataTexts.json;
      return { hash, dataJson: dataTexts.json, metadataJson: callers === '{}' ? `{${chain}` : `${callers.slice(0, -1)},${chain}` };
    }
  }
  const chained = chainedMetadata(type, data, metadata, recordedAt, previousHash);
  return { hash: chained[EVENT_HASH] as string, dataJson: JSON.stringify(data), metadataJson: JSON.stringify(chained) };
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
