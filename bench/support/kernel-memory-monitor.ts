/**
 * The kernel's own memory monitor, beside a benchmark run: DAMON's kdamond threads, and the CPU
 * they took while the run lasted.
 *
 * Why it is measured: on a machine kind of this project (2 × AMD EPYC under Firecracker, seen
 * on 2026-12-06) the kernel runs kdamond.0 over the whole physical memory, sampling every
 * 500 ms with a pageout scheme. Every ~0.54 s it takes some 15 ms of one of the two cores. At
 * half of a query's saturation, each such pass queued a hundred or more requests behind it:
 * the status route's p99 read 12–19 ms with it running and 1.5–5.3 ms with it paused, in
 * back-to-back runs (README: "What sets the query tail on these machines"). Like the load
 * average, it is a fact about the machine that a verdict is read beside.
 *
 * Read from /proc and /sys only, at the start and the end of a run: nothing runs in between,
 * so watching costs the measured processes nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the kernel's memory monitor took while a run lasted. */
export interface KernelMemoryMonitorUse {
  /** The monitor threads seen, by name: ['kdamond.0']. */
  readonly threads: readonly string[];
  /** Their CPU time over the run, per second of the run. */
  readonly cpuMsPerSecond: number;
  /** How often the monitor samples memory, where DAMON's sysfs interface says. */
  readonly samplingIntervalMs?: number;
}

/** Where the kernel's files are: the real ones, or a test's stand-ins. */
export interface KernelFiles {
  readonly proc: string;
  readonly sys: string;
}

const REAL_KERNEL_FILES: KernelFiles = { proc: '/proc', sys: '/sys' };
const MONITOR_THREAD = /^kdamond/;
const DAMON_ADMIN = 'kernel/mm/damon/admin/kdamonds';

/** A test's stand-ins for the kernel's files and the clock. */
export interface WatchOptions {
  readonly files?: KernelFiles;
  /** Milliseconds, as performance.now(). */
  readonly now?: () => number;
}

export class KernelMemoryMonitorWatch {
  private readonly startedAt: number;
  private readonly cpuAtStart: ReadonlyMap<number, number>;

  private constructor(
    private readonly files: KernelFiles,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
    this.cpuAtStart = new Map([...monitorThreads(files)].map(([pid, thread]) => [pid, thread.cpuNs]));
  }

  static start({ files = REAL_KERNEL_FILES, now = () => performance.now() }: WatchOptions = {}): KernelMemoryMonitorWatch {
    return new KernelMemoryMonitorWatch(files, now);
  }

  /** Undefined where no monitor thread ran at the start or at the end (most machines). */
  finish(): KernelMemoryMonitorUse | undefined {
    const seconds = (this.now() - this.startedAt) / 1000;
    const atEnd = monitorThreads(this.files);
    if (atEnd.size === 0 && this.cpuAtStart.size === 0) return undefined;
    // A monitor restarted during the run has a new thread: all its time fell within the run.
    let cpuNs = 0;
    for (const [pid, thread] of atEnd) cpuNs += thread.cpuNs - (this.cpuAtStart.get(pid) ?? 0);
    const samplingIntervalMs = damonSamplingIntervalMs(this.files);
    return {
      threads: [...new Set([...atEnd.values()].map((thread) => thread.name))].sort(),
      cpuMsPerSecond: seconds > 0 ? Math.round((cpuNs / 1e6 / seconds) * 10) / 10 : 0,
      ...(samplingIntervalMs !== undefined && { samplingIntervalMs }),
    };
  }
}

/** "kdamond.0 took 27.3 ms of CPU a second (sampling memory every 500 ms)". */
export function describeKernelMemoryMonitor(use: KernelMemoryMonitorUse): string {
  const sampling = use.samplingIntervalMs === undefined ? '' : ` (sampling memory every ${use.samplingIntervalMs} ms)`;
  return `${use.threads.join(', ')} took ${use.cpuMsPerSecond} ms of CPU a second${sampling}`;
}

interface MonitorThread {
  readonly name: string;
  /** Time on a CPU since it started (schedstat's first field). */
  readonly cpuNs: number;
}

function monitorThreads(files: KernelFiles): Map<number, MonitorThread> {
  const threads = new Map<number, MonitorThread>();
  // No /proc (macOS): no monitor to report.
  for (const entry of listIfThere(files.proc)) {
    // A process can end between the listing and the read: it is simply not counted.
    const name = readIfThere(join(files.proc, entry, 'comm'))?.trim();
    if (!name || !MONITOR_THREAD.test(name)) continue;
    const schedstat = readIfThere(join(files.proc, entry, 'schedstat'));
    const cpuNs = Number(schedstat?.split(' ')[0]);
    if (Number.isFinite(cpuNs)) threads.set(Number(entry), { name, cpuNs });
  }
  return threads;
}

/** The shortest sampling interval of the monitors that are on; undefined where sysfs does not say. */
function damonSamplingIntervalMs(files: KernelFiles): number | undefined {
  const admin = join(files.sys, DAMON_ADMIN);
  const intervals: number[] = [];
  for (const kdamond of listIfThere(admin)) {
    if (readIfThere(join(admin, kdamond, 'state'))?.trim() !== 'on') continue;
    const contexts = join(admin, kdamond, 'contexts');
    for (const context of listIfThere(contexts)) {
      const microseconds = Number(readIfThere(join(contexts, context, 'monitoring_attrs/intervals/sample_us')));
      if (Number.isFinite(microseconds) && microseconds > 0) intervals.push(microseconds / 1000);
    }
  }
  return intervals.length === 0 ? undefined : Math.min(...intervals);
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The numbered entries of a folder (processes, monitors, contexts); none where it is missing. */
function listIfThere(path: string): string[] {
  try {
    return readdirSync(path).filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
}
