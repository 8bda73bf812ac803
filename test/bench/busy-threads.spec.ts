import { type ThreadShare, describeBusyThreads, mainThreadName, threadTotals } from '../../bench/support/process-threads.js';

const MIB = 2 ** 20;

const share = (name: string, cpuSeconds: number, writtenBytes: number, threads = 1): ThreadShare => ({ name, threads, cpuSeconds, writtenBytes });

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

  it("tells this process's main thread by the name Linux shows for it", () => {
    if (process.platform !== 'linux') return;
    const name = mainThreadName();
    expect(name).toBeDefined();
    expect([...threadTotals().values()].filter((thread) => thread.name === name)).not.toHaveLength(0);
  });
});
