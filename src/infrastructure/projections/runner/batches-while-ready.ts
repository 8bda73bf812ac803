const IDLE = Symbol('idle');

/**
 * Groups an async sequence into batches of at most `maxSize`, cutting a batch short as soon
 * as the next item is not ready at once. Catch-up reads therefore fill whole batches, while
 * a live append is applied without waiting for more to arrive.
 */
export async function* batchesWhileReady<T>(source: AsyncIterable<T>, maxSize: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  try {
    for (;;) {
      const first = await pending;
      if (first.done) return;
      const batch = [first.value];
      pending = iterator.next();
      // One macrotask per batch: everything that resolves before it is "ready".
      const idle = new Promise<typeof IDLE>((resolve) => setImmediate(resolve, IDLE));
      while (batch.length < maxSize) {
        const next = await Promise.race([pending, idle]);
        if (next === IDLE) break;
        if (next.done) {
          yield batch;
          return;
        }
        batch.push(next.value);
        pending = iterator.next();
      }
      yield batch;
    }
  } finally {
    await iterator.return?.();
  }
}
