import { v7 as uuidv7 } from 'uuid';
import type { EventToAppend } from '../../src/kernel/event-store/event-store.port.js';

/** Events with fresh time-ordered ids, numbered in their data so that order can be checked. */
export function someEvents(count: number, type = 'ThingHappened', from = 0): EventToAppend<{ n: number }>[] {
  return Array.from({ length: count }, (_, index) => ({
    id: uuidv7(),
    type,
    data: { n: from + index },
    metadata: { commandId: `cmd-${from + index}` },
  }));
}

/** Takes the first `count` events of a subscription, failing after `timeoutMs`. */
export async function take<T>(iterable: AsyncIterable<T>, count: number, timeoutMs = 5000): Promise<T[]> {
  const taken: T[] = [];
  if (count === 0) return taken;
  const iterator = iterable[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${taken.length} of ${count} arrived`)), remaining);
    });
    const next = await Promise.race([iterator.next(), timeout]).finally(() => clearTimeout(timer));
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}
