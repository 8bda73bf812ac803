import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type ChainLink, type ChainProblem, EVENT_HASH, chainProblemOf } from '../kernel/event-store/event-hash-chain.js';
import { type EventStore, START_OF_LOG } from '../kernel/event-store/event-store.port.js';

export interface BrokenLink {
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly problem: ChainProblem;
  readonly detail: string;
}

export interface HashChainReport {
  readonly events: number;
  readonly streams: number;
  /** Events stored before the chain existed (at the start of their streams). */
  readonly unchained: number;
  readonly problems: readonly BrokenLink[];
}

const PAGE_SIZE = 5_000;

/**
 * Walks the whole log once, checking every event against the one before it in its
 * stream. Reads the stored form, never an upcast one: the hash is over what was written.
 */
export async function verifyHashChains(events: EventStore, onProgress?: (position: number, head: number) => void): Promise<HashChainReport> {
  const head = await events.headPosition();
  const links = new Map<string, ChainLink>();
  const problems: BrokenLink[] = [];
  let checked = 0;
  let unchained = 0;
  for (let after = START_OF_LOG; after < head; ) {
    const page = await events.readAll(after, PAGE_SIZE);
    if (page.length === 0) break;
    for (const event of page) {
      checked++;
      const previous = links.get(event.stream);
      const found = chainProblemOf(event, previous);
      if (found) problems.push({ stream: event.stream, revision: event.revision, position: event.position, ...found });
      let hash: string | null = null;
      try {
        hash = typeof event.metadata[EVENT_HASH] === 'string' ? (event.metadata[EVENT_HASH] as string) : null;
      } catch {
        // Unreadable metadata was reported above; the chain goes on from the stored hash it should have had.
      }
      if (hash === null && !previous?.hash) unchained++;
      links.set(event.stream, { revision: event.revision, hash: hash ?? previous?.hash ?? null });
    }
    after = page.at(-1)!.position;
    onProgress?.(after, head);
    await yieldToEventLoop();
  }
  return { events: checked, streams: links.size, unchained, problems };
}
