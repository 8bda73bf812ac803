import { readFileSync } from 'node:fs';
import type { BenchRun } from '../../bench/support/bench-results.js';
import { type GatheredRuns, TABLE_END, TABLE_START, renderResultsTable, withResultsTable } from '../../bench/support/results-table.js';

const run = (benchmark: string, results: BenchRun['results'], mode: BenchRun['mode'] = 'short'): BenchRun => ({
  benchmark,
  mode,
  startedAt: '2026-12-05T14:00:00.000Z',
  finishedAt: '2026-12-05T14:01:30.000Z',
  loadAverage: { start: 0.4, end: 1.2 },
  parameters: {},
  results,
});

const gathered: GatheredRuns = {
  startedAt: '2026-12-05T14:00:00.000Z',
  finishedAt: '2026-12-05T14:09:00.000Z',
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 24, node: '24.1.0' },
  commit: '0123456789abcdef0123456789abcdef01234567',
  runs: [
    run('bench:store', [
      { benchmark: 'bench:store batched appends', measured: '72% of raw', target: '≥ 70% of raw', met: true },
      { benchmark: 'bench:store reads', measured: '61% of raw', target: '≥ 70% of raw', met: false },
    ]),
    run('bench:cob', [{ benchmark: 'bench:cob one day, 100,000 loans', measured: '2.1 s (~21 s at 1,000,000 | scaled)', target: '< 20 s at 1,000,000', met: null }]),
  ],
};

describe('the README table of benchmark results', () => {
  it('gives each target its verdict, the load average and the mode of its run, and counts them', () => {
    const full = run('bench:cob', [{ benchmark: 'bench:cob one day, 1,000,000 loans', measured: '14 s', target: '< 20 s', met: true }], 'full');
    const table = renderResultsTable(gathered, [full]);

    expect(table).toContain('| bench:store batched appends | 72% of raw | ≥ 70% of raw | **PASS** | 2026-12-05 14:00 UTC, load 0.4–1.2, short |');
    expect(table).toContain('| bench:store reads | 61% of raw | ≥ 70% of raw | **MISS** |');
    // A pipe inside a figure must not split the row into extra cells.
    expect(table).toContain('| 2.1 s (~21 s at 1,000,000 \\| scaled) | < 20 s at 1,000,000 | **—** |');
    expect(table).toContain('| bench:cob one day, 1,000,000 loans | 14 s | < 20 s | **PASS** | 2026-12-05 14:00 UTC, load 0.4–1.2, full |');
    expect(table).toContain('commit 0123456, 2 × Test CPU, 24 GiB, Node 24.1.0; 9.0 minutes in short mode. 2 PASS, 1 MISS, 1 without a verdict.');
  });

  it("puts the CPU the kernel's memory monitor took beside a run's load average, and says what it is", () => {
    const watched: BenchRun = { ...run('bench:http', [{ benchmark: 'bench:http overdue status, p99 at half saturation', measured: '12 ms', target: '≤ 5 ms', met: false }]), kernelMemoryMonitor: { threads: ['kdamond.0'], cpuMsPerSecond: 27.3, samplingIntervalMs: 500 } };
    const table = renderResultsTable({ ...gathered, runs: [...gathered.runs, watched] }, []);

    expect(table).toContain('| **MISS** | 2026-12-05 14:00 UTC, load 0.4–1.2, kdamond 27.3 ms/s, short |');
    expect(table).toContain('"kdamond N ms/s": the CPU the kernel\'s DAMON memory monitor took a second');
    // Runs without one say nothing of it.
    expect(table).toContain('| **PASS** | 2026-12-05 14:00 UTC, load 0.4–1.2, short |');
    expect(renderResultsTable(gathered, [])).not.toContain('kdamond');
    // A lower bound says so.
    const stopped: BenchRun = { ...watched, kernelMemoryMonitor: { ...watched.kernelMemoryMonitor!, stoppedDuringRun: true } };
    expect(renderResultsTable({ ...gathered, runs: [stopped] }, [])).toContain('load 0.4–1.2, kdamond ≥ 27.3 ms/s, short |');
  });

  it('names a measurement made beside uncommitted changes as such', () => {
    const table = renderResultsTable({ ...gathered, commit: `${gathered.commit} with uncommitted changes` }, []);
    expect(table).toContain('commit 0123456 with uncommitted changes,');
  });

  it('replaces only what lies between the markers, and refuses a README without them', () => {
    const readme = `# Title\n\nbefore\n${TABLE_START}\nold table\n${TABLE_END}\nafter\n`;
    expect(withResultsTable(readme, 'new table')).toBe(`# Title\n\nbefore\n${TABLE_START}\nnew table\n${TABLE_END}\nafter\n`);
    expect(() => withResultsTable('# Title\n', 'new table')).toThrow(/no .* section/);
  });

  it('has its markers in the project README, so npm run bench has a place to write', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(() => withResultsTable(readme, 'table')).not.toThrow();
  });
});
