import { performance } from 'node:perf_hooks';

/** Seconds since `startedAt`, a performance.now() reading. */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}

/** What some work answered, and how many seconds it took. */
export interface Timed<T> {
  readonly value: T;
  readonly seconds: number;
}

/** Runs `work`, timing it. */
export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const startedAt = performance.now();
  const value = await work();
  return { value, seconds: secondsSince(startedAt) };
}
