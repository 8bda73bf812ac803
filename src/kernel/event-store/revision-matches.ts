import type { ExpectedRevision, StreamRevision } from './event-store.port.js';

/** Whether a stream at `actual` (or absent) is where an append expecting `expected` may write: the one reading every adapter applies. */
export function revisionMatches(expected: ExpectedRevision, actual: StreamRevision | 'no-stream'): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return actual === 'no-stream';
    case 'stream-exists':
      return actual !== 'no-stream';
    default:
      return expected === actual;
  }
}
