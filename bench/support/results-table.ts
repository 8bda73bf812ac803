/**
 * The README's table of benchmark results, drawn from the runs `npm run bench` gathered
 * (bench/results/latest.json) and from any full-size runs kept beside it
 * (bench/results/full/*.json, e.g. close of business at a million loans, which no short
 * mode can stand in for). Pure: the runner reads and writes the files.
 */
import type { BenchRun, TargetResult } from './bench-results.js';
import { kernelMemoryMonitorRate } from './kernel-memory-monitor.js';

export const TABLE_START = '<!-- bench-results:start (written by npm run bench; edits here are overwritten) -->';
export const TABLE_END = '<!-- bench-results:end -->';

export interface GatheredRuns {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGiB: number; readonly node: string };
  readonly commit: string;
  readonly runs: readonly BenchRun[];
}

export function verdictOf(result: TargetResult): 'PASS' | 'MISS' | '—' {
  if (result.met === null) return '—';
  return result.met ? 'PASS' : 'MISS';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function rowsOf(run: BenchRun): string[] {
  const monitor = run.kernelMemoryMonitor ? `, kdamond ${kernelMemoryMonitorRate(run.kernelMemoryMonitor)}` : '';
  const when = `${run.startedAt.slice(0, 16).replace('T', ' ')} UTC, load ${run.loadAverage.start}–${run.loadAverage.end}${monitor}, ${run.mode}`;
  return run.results.map(
    (result) => `| ${cell(result.benchmark)} | ${cell(result.measured)} | ${cell(result.target)} | **${verdictOf(result)}** | ${when} |`,
  );
}

/** The markdown the README carries between its markers. */
export function renderResultsTable(gathered: GatheredRuns, fullRuns: readonly BenchRun[]): string {
  const runs = [...gathered.runs, ...fullRuns];
  const all = runs.flatMap((run) => run.results);
  const count = (verdict: string) => all.filter((result) => verdictOf(result) === verdict).length;
  const minutes = (Date.parse(gathered.finishedAt) - Date.parse(gathered.startedAt)) / 60_000;
  const lines = [
    `\`npm run bench\` on ${gathered.finishedAt.slice(0, 10)}, commit ${gathered.commit.replace(/^([0-9a-f]{7})[0-9a-f]*/, '$1')}, ` +
      `${gathered.machine.cpus} × ${gathered.machine.cpuModel}, ${gathered.machine.memoryGiB} GiB, Node ${gathered.machine.node}; ` +
      `${minutes.toFixed(1)} minutes in short mode. ${count('PASS')} PASS, ${count('MISS')} MISS, ${count('—')} without a verdict.`,
    ...(runs.some((run) => run.kernelMemoryMonitor)
      ? ['', `"kdamond N ms/s": the CPU the kernel's DAMON memory monitor took a second during that run (the README's "What sets most of the query tail on these machines" says why it is shown).`]
      : []),
    '',
    '| benchmark | measured | target | verdict | run (load average start–end, mode) |',
    '|---|---|---|---|---|',
    ...gathered.runs.flatMap(rowsOf),
    ...fullRuns.flatMap(rowsOf),
  ];
  return lines.join('\n');
}

/** The README with its table replaced; refuses a README that lost its markers. */
export function withResultsTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no "${TABLE_START}" … "${TABLE_END}" section to write the results into`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
