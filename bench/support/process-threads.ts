import { readdirSync } from 'node:fs';
import { readFileIfThere } from './read-file-if-there.js';

/** What one thread of this process had done by some moment, from Linux's /proc/self/task. */
interface ThreadTotals {
  readonly name: string;
  /** On a core, in seconds (schedstat). */
  readonly cpuSeconds: number;
  /** Handed to write(2) and its kin (io's wchar): files, the WAL, pipes and sockets alike. */
  readonly writtenBytes: number;
}

/** What the threads of this process did between two moments, by thread name (threads of one name summed). */
export interface ThreadShare {
  readonly name: string;
  readonly threads: number;
  readonly cpuSeconds: number;
  readonly writtenBytes: number;
}

/**
 * The process's threads at a moment, to compare with a later one (`sharesSince`): on a 2-core
 * machine the engine's own threads (projections, WAL checkpoints, read-ahead; named where they
 * are started, BackgroundThread and ProjectionThread) compete with close of business for the
 * cores and the disk, and this says how much. Empty where there is no /proc (not Linux).
 */
export function threadTotals(): Map<string, ThreadTotals> {
  const totals = new Map<string, ThreadTotals>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return totals;
  }
  for (const tid of tids) {
    const [name, schedstat, io] = ['comm', 'schedstat', 'io'].map((file) => readFileIfThere(`/proc/self/task/${tid}/${file}`));
    // A thread that ended between the listing and the read.
    if (name === undefined || schedstat === undefined) continue;
    const written = io?.match(/^wchar: (\d+)$/m)?.[1];
    totals.set(tid, { name: name.trim(), cpuSeconds: Number(schedstat.split(' ')[0]) / 1e9, writtenBytes: written === undefined ? 0 : Number(written) });
  }
  return totals;
}

/**
 * What each named group of threads did since `before`, busiest first: threads started since
 * count from zero, threads that ended since are not counted.
 */
export function sharesSince(before: ReadonlyMap<string, ThreadTotals>): ThreadShare[] {
  const byName = new Map<string, ThreadShare>();
  for (const [tid, now] of threadTotals()) {
    const then = before.get(tid);
    const share = byName.get(now.name) ?? { name: now.name, threads: 0, cpuSeconds: 0, writtenBytes: 0 };
    byName.set(now.name, {
      name: now.name,
      threads: share.threads + 1,
      cpuSeconds: share.cpuSeconds + now.cpuSeconds - (then?.cpuSeconds ?? 0),
      writtenBytes: share.writtenBytes + now.writtenBytes - (then?.writtenBytes ?? 0),
    });
  }
  return [...byName.values()].sort((a, b) => b.cpuSeconds - a.cpuSeconds);
}
