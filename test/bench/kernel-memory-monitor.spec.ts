import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KernelFiles, KernelMemoryMonitorWatch, describeKernelMemoryMonitor, kernelMemoryMonitorRate } from '../../bench/support/kernel-memory-monitor.js';

/** A stand-in /proc and /sys, written as the kernel lays them out. */
class FakeKernel {
  readonly root = mkdtempSync(join(tmpdir(), 'arrears-fake-kernel-'));
  readonly files: KernelFiles = { proc: join(this.root, 'proc'), sys: join(this.root, 'sys') };

  constructor() {
    mkdirSync(this.files.proc, { recursive: true });
    mkdirSync(this.files.sys, { recursive: true });
  }

  process(pid: number, name: string, cpuNs?: number): void {
    mkdirSync(join(this.files.proc, String(pid)), { recursive: true });
    writeFileSync(join(this.files.proc, String(pid), 'comm'), `${name}\n`);
    if (cpuNs !== undefined) writeFileSync(join(this.files.proc, String(pid), 'schedstat'), `${cpuNs} 123456 789\n`);
  }

  ended(pid: number): void {
    rmSync(join(this.files.proc, String(pid)), { recursive: true });
  }

  damon(index: number, state: 'on' | 'off', sampleMicroseconds: number): void {
    const kdamond = join(this.files.sys, 'kernel/mm/damon/admin/kdamonds', String(index));
    mkdirSync(join(kdamond, 'contexts/0/monitoring_attrs/intervals'), { recursive: true });
    writeFileSync(join(kdamond, 'state'), `${state}\n`);
    writeFileSync(join(kdamond, 'contexts/0/monitoring_attrs/intervals/sample_us'), `${sampleMicroseconds}\n`);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

const MS = 1e6;

describe("the kernel's memory monitor beside a benchmark run", () => {
  let kernel: FakeKernel;
  let clock: number;
  const watch = () => KernelMemoryMonitorWatch.start({ files: kernel.files, now: () => clock });

  beforeEach(() => {
    kernel = new FakeKernel();
    clock = 1_000;
    kernel.process(1, 'process_api', 50 * MS);
    kernel.process(4242, 'node', 900 * MS);
  });
  afterEach(() => kernel.remove());

  it('reports nothing on a machine without one', () => {
    const watching = watch();
    clock += 10_000;
    expect(watching.finish()).toBeUndefined();
  });

  it('reports nothing, and does not fail, where there is no /proc (macOS)', () => {
    const watching = KernelMemoryMonitorWatch.start({ files: { proc: join(kernel.root, 'none'), sys: join(kernel.root, 'none') }, now: () => clock });
    clock += 1_000;
    expect(watching.finish()).toBeUndefined();
  });

  it("gives the monitor's CPU over the run per second of it, and how often it samples", () => {
    kernel.process(84, 'kdamond.0', 5_000 * MS);
    kernel.damon(0, 'on', 500_000);
    const watching = watch();
    kernel.process(84, 'kdamond.0', 5_273 * MS);
    // Other processes' CPU is not the monitor's.
    kernel.process(4242, 'node', 9_000 * MS);
    clock += 10_000;

    const use = watching.finish();

    expect(use).toEqual({ threads: ['kdamond.0'], cpuMsPerSecond: 27.3, samplingIntervalMs: 500 });
    expect(describeKernelMemoryMonitor(use!)).toBe('kdamond.0 took 27.3 ms of CPU a second (sampling memory every 500 ms)');
  });

  it('counts all the time of a monitor started during the run, and says the figure is a lower bound when one stopped', () => {
    kernel.process(84, 'kdamond.0', 5_000 * MS);
    const watching = watch();
    // DAMON turned off and on again: the first thread's time before it ended is unknown.
    kernel.ended(84);
    kernel.process(9692, 'kdamond.0', 150 * MS);
    clock += 5_000;

    const use = watching.finish()!;

    expect(use).toEqual({ threads: ['kdamond.0'], cpuMsPerSecond: 30, stoppedDuringRun: true });
    expect(describeKernelMemoryMonitor(use)).toBe(
      'kdamond.0 took at least 30 ms of CPU a second; a monitor thread stopped during the run, its time before that not counted',
    );
    expect(kernelMemoryMonitorRate(use)).toBe('≥ 30 ms/s');
  });

  it('still names a monitor that stopped during the run and left none behind', () => {
    kernel.process(84, 'kdamond.0', 5_000 * MS);
    const watching = watch();
    kernel.ended(84);
    clock += 5_000;

    expect(watching.finish()).toEqual({ threads: ['kdamond.0'], cpuMsPerSecond: 0, stoppedDuringRun: true });
  });

  it('counts nothing negative when another thread took a stopped monitor’s number', () => {
    kernel.process(84, 'kdamond.0', 5_000 * MS);
    const watching = watch();
    kernel.process(84, 'kdamond.0', 20 * MS);
    clock += 1_000;

    expect(watching.finish()).toEqual({ threads: ['kdamond.0'], cpuMsPerSecond: 0, stoppedDuringRun: true });
  });

  it('reads its CPU from stat where the kernel keeps no schedstat', () => {
    kernel.process(84, 'kdamond.0');
    const stat = (utime: number, stime: number) =>
      `84 (kdamond.0) S 2 0 0 0 -1 2129984 0 0 0 0 ${utime} ${stime} 0 0 20 0 1 0 10 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0\n`;
    writeFileSync(join(kernel.files.proc, '84', 'stat'), stat(10, 40));
    const watching = watch();
    // 25 clock ticks more: 250 ms.
    writeFileSync(join(kernel.files.proc, '84', 'stat'), stat(15, 60));
    clock += 10_000;

    expect(watching.finish()).toEqual({ threads: ['kdamond.0'], cpuMsPerSecond: 25 });
  });

  it('takes the sampling interval of the monitors that are on only', () => {
    kernel.process(84, 'kdamond.0', 0);
    kernel.damon(0, 'off', 5_000);
    kernel.damon(1, 'on', 100_000);
    const watching = watch();
    clock += 1_000;

    expect(watching.finish()?.samplingIntervalMs).toBe(100);
  });

  it('passes over a process that ended between the listing and the read', () => {
    kernel.process(84, 'kdamond.0', 0);
    // A process directory whose files are gone, as /proc shows one that has just exited.
    mkdirSync(join(kernel.files.proc, '5000'));
    const watching = watch();
    clock += 1_000;

    expect(watching.finish()).toEqual({ threads: ['kdamond.0'], cpuMsPerSecond: 0 });
  });
});
