import { type ThreadShare, describeBusyThreads, sharesSince, threadTotals } from '../../bench/support/process-threads.js';

const MIB = 2 ** 20;

const share = (name: string, cpuSeconds: number, writtenBytes: number, threads = 1): ThreadShare => ({ name, mainThread: false, threads, cpuSeconds, writtenBytes });

describe("the close's competing threads, as bench:cob prints them and keeps them in its results", () => {
  it('names each thread that took a twentieth of the run on a core or wrote a MiB, with both figures', () => {
    const shares = [share('projections', 15.04, 5.04 * 2 ** 30), share('stream-ahead', 7.3, 0), share('node-V8Worker', 3.89, 0, 4), share('wal-checkpoints', 1.97, 844 * MIB)];
    expect(describeBusyThreads(shares, 29.1)).toBe(
      'projections 15.0 s, 5.04 GB; stream-ahead 7.30 s, 0 MiB; node-V8Worker ×4 3.89 s, 0 MiB; wal-checkpoints 1.97 s, 844 MiB',
    );
  });

  it('leaves out a thread that did neither, and says nothing where no thread did', () => {
    // A twentieth of 29.1 s is 1.455 s: 1.4 s on a core and half a MiB written are below both.
    const idle = [share('libuv-worker', 1.4, MIB / 2, 4)];
    expect(describeBusyThreads([share('wal-checkpoints', 0.1, 2 * MIB), ...idle], 29.1)).toBe('wal-checkpoints 0.10 s, 2 MiB');
    expect(describeBusyThreads(idle, 29.1)).toBeUndefined();
    expect(describeBusyThreads([], 29.1)).toBeUndefined();
  });

  it("keeps the main thread in a share of its own, with the CPU it took", () => {
    if (process.platform !== 'linux') return;
    const before = threadTotals();
    // Spun until this thread has had 50 ms on a core by its own count (getrusage), however
    // long that takes on a busy machine: no wall-clock time is assumed.
    const started = process.threadCpuUsage();
    while (process.threadCpuUsage(started).user + process.threadCpuUsage(started).system < 50_000);
    const mains = sharesSince(before).filter((share) => share.mainThread);
    expect(mains).toHaveLength(1);
    expect(mains[0]!.threads).toBe(1);
    expect(mains[0]!.cpuSeconds).toBeGreaterThanOrEqual(0.045);
  });
});
