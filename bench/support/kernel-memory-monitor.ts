/**
 * The kernel's own memory monitor, beside a benchmark run: DAMON's kdamond threads, and the CPU
 * they took while the run lasted.
 *
 * Why it is measured: on a machine kind of this project (2 × AMD EPYC under Firecracker, seen
 * on 2026-12-06) the kernel runs kdamond.0 over the whole physical memory, sampling every
 * 500 ms with a pageout scheme. Every ~0.54 s it takes some 15 ms of one of the two cores. At
 * half of a query's saturation, each such pass queued a hundred or more requests behind it:
 * the status route's p99 at half saturation read 15.96 and 24.53 ms with it running and
 * 2.98 ms with it paused, within the hour (README: "What sets most of the query tail on these
 * machines"). Like the load average, it is a fact about the machine that a verdict is read
 * beside.
 *
 * Read from /proc and /sys only, at the start and the end of a run: nothing runs in between,
 * so watching costs the measured processes nothing. The threads and their CPU are anyone's to
 * read; DAMON's settings (the sampling interval) are root's only.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFileIfThere } from './read-file-if-there.js';

/** What the kernel's memory monitor took while a run lasted. */
export interface KernelMemoryMonitorUse {
  /** The monitor threads seen, by name: ['kdamond.0']. */
  readonly threads: readonly string[];
  /** Their CPU time over the run, per second of the run. */
  readonly cpuMsPerSecond: number;
  /**
   * A monitor thread seen at the start was gone at the end (DAMON turned off, or restarted):
   * what it took before it ended is not known, so `cpuMsPerSecond` is a lower bound.
   */
  readonly stoppedDuringRun?: true;
  /** How often the monitor samples memory, where DAMON's sysfs interface says (and is readable: root). */
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
  private readonly atStart: ReadonlyMap<number, MonitorThread>;

  private constructor(
    private readonly files: KernelFiles,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
    this.atStart = monitorThreads(files);
  }

  static start({ files = REAL_KERNEL_FILES, now = () => performance.now() }: WatchOptions = {}): KernelMemoryMonitorWatch {
    return new KernelMemoryMonitorWatch(files, now);
  }

  /** Undefined where no monitor thread ran at the start or at the end (most machines). */
  finish(): KernelMemoryMonitorUse | undefined {
    const seconds = (this.now() - this.startedAt) / 1000;
    const atEnd = monitorThreads(this.files);
    if (atEnd.size === 0 && this.atStart.size === 0) return undefined;
    let cpuNs = 0;
    let stoppedDuringRun = [...this.atStart.keys()].some((pid) => !atEnd.has(pid));
    for (const [pid, thread] of atEnd) {
      const before = this.atStart.get(pid);
      // A thread not there at the start began during the run: all its time fell within it.
      const taken = thread.cpuNs - (before?.cpuNs ?? 0);
      // Less than at the start: another thread got the number, and the first one's end went unseen.
      if (taken < 0 || (before && before.name !== thread.name)) stoppedDuringRun = true;
      else cpuNs += taken;
    }
    const samplingIntervalMs = damonSamplingIntervalMs(this.files);
    return {
      threads: [...new Set([...this.atStart.values(), ...atEnd.values()].map((thread) => thread.name))].sort(),
      cpuMsPerSecond: seconds > 0 ? Math.round((cpuNs / 1e6 / seconds) * 10) / 10 : 0,
      ...(stoppedDuringRun && { stoppedDuringRun: true as const }),
      ...(samplingIntervalMs !== undefined && { samplingIntervalMs }),
    };
  }
}

/** "kdamond.0 took 27.3 ms of CPU a second (sampling memory every 500 ms)". */
export function describeKernelMemoryMonitor(use: KernelMemoryMonitorUse): string {
  const sampling = use.samplingIntervalMs === undefined ? '' : ` (sampling memory every ${use.samplingIntervalMs} ms)`;
  const stopped = use.stoppedDuringRun ? '; a monitor thread stopped during the run, its time before that not counted' : '';
  return `${use.threads.join(', ')} took ${use.stoppedDuringRun ? 'at least ' : ''}${use.cpuMsPerSecond} ms of CPU a second${sampling}${stopped}`;
}

/** "17.1 ms/s", or "≥ 17.1 ms/s" where a monitor thread's time before it stopped is missing. */
export function kernelMemoryMonitorRate(use: KernelMemoryMonitorUse): string {
  return `${use.stoppedDuringRun ? '≥ ' : ''}${use.cpuMsPerSecond} ms/s`;
}

interface MonitorThread {
  readonly name: string;
  /** Time on a CPU since it started. */
  readonly cpuNs: number;
}

/** /proc's clock ticks (USER_HZ): 100 a second in Linux's ABI on every architecture Node runs on. */
const NS_PER_CLOCK_TICK = 1e9 / 100;

function monitorThreads(files: KernelFiles): Map<number, MonitorThread> {
  const threads = new Map<number, MonitorThread>();
  // No /proc (macOS): no monitor to report.
  for (const entry of listIfThere(files.proc)) {
    // A process can end between the listing and the read: it is simply not counted.
    const name = readFileIfThere(join(files.proc, entry, 'comm'))?.trim();
    if (!name || !MONITOR_THREAD.test(name)) continue;
    const cpuNs = cpuNsOf(join(files.proc, entry));
    if (cpuNs !== undefined) threads.set(Number(entry), { name, cpuNs });
  }
  return threads;
}

/** schedstat's first field (nanoseconds on a CPU); where the kernel keeps no schedstat, stat's utime + stime (clock ticks). */
function cpuNsOf(processFolder: string): number | undefined {
  const onCpu = Number(readFileIfThere(join(processFolder, 'schedstat'))?.split(' ')[0]);
  if (Number.isFinite(onCpu)) return onCpu;
  // After the command's name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th fields.
  const fields = readFileIfThere(join(processFolder, 'stat'))?.split(') ')[1]?.split(' ');
  const ticks = Number(fields?.[11]) + Number(fields?.[12]);
  return Number.isFinite(ticks) ? ticks * NS_PER_CLOCK_TICK : undefined;
}

/** The shortest sampling interval of the monitors that are on; undefined where sysfs does not say. */
function damonSamplingIntervalMs(files: KernelFiles): number | undefined {
  const admin = join(files.sys, DAMON_ADMIN);
  const intervals: number[] = [];
  for (const kdamond of listIfThere(admin)) {
    if (readFileIfThere(join(admin, kdamond, 'state'))?.trim() !== 'on') continue;
    const contexts = join(admin, kdamond, 'contexts');
    for (const context of listIfThere(contexts)) {
      const microseconds = Number(readFileIfThere(join(contexts, context, 'monitoring_attrs/intervals/sample_us')));
      if (Number.isFinite(microseconds) && microseconds > 0) intervals.push(microseconds / 1000);
    }
  }
  return intervals.length === 0 ? undefined : Math.min(...intervals);
}

/** The numbered entries of a folder (processes, monitors, contexts); none where it is missing. */
function listIfThere(path: string): string[] {
  try {
    return readdirSync(path).filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
}
