import { readdirSync } from 'node:fs';
import { mibOrGib, seconds } from './figures.js';
import { readFileIfThere } from './read-file-if-there.js';

/** What one thread of this process had done by some moment, from Linux's /proc/self/task. */
interface ThreadTotals {
  readonly name: string;
  /** On a core, in seconds (schedstat). */
  readonly cpuSeconds: number;
  /** Handed to write(2) and its kin (io's wchar): files, the WAL, pipes and sockets alike. */
  readonly writtenBytes: number;
}

/** What the threads of this process did between two moments, by thread name (threads of one name summed; the main thread alone). */
export interface ThreadShare {
  readonly name: string;
  /**
   * The process's main thread, in a share of its own whatever other thread bears its name (a
   * worker left unnamed inherits the name its creator had).
   */
  readonly mainThread: boolean;
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
 * count from zero, threads that ended since are not counted. The main thread (whose id is the
 * process's) is a group of its own.
 */
export function sharesSince(before: ReadonlyMap<string, ThreadTotals>): ThreadShare[] {
  const groups = new Map<string, ThreadShare>();
  const mainTid = String(process.pid);
  for (const [tid, now] of threadTotals()) {
    const then = before.get(tid);
    const mainThread = tid === mainTid;
    // No thread's name holds a NUL (comm is a C string): the main thread's key is no other's.
    const key = mainThread ? `\u0000${now.name}` : now.name;
    const share = groups.get(key) ?? { name: now.name, mainThread, threads: 0, cpuSeconds: 0, writtenBytes: 0 };
    groups.set(key, {
      name: now.name,
      mainThread,
      threads: share.threads + 1,
      cpuSeconds: share.cpuSeconds + now.cpuSeconds - (then?.cpuSeconds ?? 0),
      writtenBytes: share.writtenBytes + now.writtenBytes - (then?.writtenBytes ?? 0),
    });
  }
  return [...groups.values()].sort((a, b) => b.cpuSeconds - a.cpuSeconds);
}

/**
 * "projections 15.0 s, 5.04 GB; stream-ahead 7.30 s, 0 MiB": the threads that took a
 * twentieth of a run of `runSeconds` on a core or handed a MiB to write(2), as they were
 * given (busiest first, from sharesSince); undefined where none did. The close's results
 * keep it beside its own thread's figures: what competed with it for the two cores.
 */
export function describeBusyThreads(shares: readonly ThreadShare[], runSeconds: number): string | undefined {
  const busy = shares.filter((share) => share.cpuSeconds >= runSeconds / 20 || share.writtenBytes >= MIB);
  if (busy.length === 0) return undefined;
  return busy
    .map(({ name, threads, cpuSeconds, writtenBytes }) => `${name}${threads > 1 ? ` ×${threads}` : ''} ${seconds(cpuSeconds)}, ${mibOrGib(writtenBytes)}`)
    .join('; ');
}

const MIB = 2 ** 20;
