/**
 * What a benchmark run found, in a form `npm run bench` can gather into
 * bench/results/latest.json and the README's table.
 *
 * A benchmark still prints its own report; beside it, each target it judges becomes one
 * `TargetResult`. Where `BENCH_RESULTS_FILE` names a file (the runner sets it), the run's
 * results are written there as JSON when the benchmark calls `writeBenchResults`; without it
 * nothing is written, so running one benchmark by hand leaves no files behind.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { type KernelMemoryMonitorUse, KernelMemoryMonitorWatch } from './kernel-memory-monitor.js';

export interface TargetResult {
  /** The benchmark and scenario, as the README's table names it: "bench:http payments". */
  readonly benchmark: string;
  /** What was measured, with its figures: "2,216 vs 4,569 req/s, 48% (rounds 48/52/46%)". */
  readonly measured: string;
  /** The target in words: "≥ 50% of the bare append". */
  readonly target: string;
  /** Null where the run was too small or too short to judge (said in `measured`). */
  readonly met: boolean | null;
  /** The headline figure, for comparing runs by machine: 0.48, 15.6, 21628. */
  readonly value?: number;
  readonly unit?: string;
}

export interface BenchRun {
  readonly benchmark: string;
  /** 'short' under `npm run bench`, else 'full'. */
  readonly mode: 'short' | 'full';
  readonly startedAt: string;
  readonly finishedAt: string;
  /** 1-minute load average when the run started and when it finished. */
  readonly loadAverage: { readonly start: number; readonly end: number };
  /** The CPU the kernel's memory monitor (DAMON's kdamond) took during the run, where one ran. */
  readonly kernelMemoryMonitor?: KernelMemoryMonitorUse;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly results: readonly TargetResult[];
}

/**
 * A share as a whole percentage, rounded down: a share just under its target (0.499 against
 * ≥ 50%) must not read as the target it missed. (The tiny addition keeps 0.29 from reading
 * 28%: 0.29 × 100 is 28.999… in floating point.)
 */
export function percent(share: number): string {
  return `${Math.floor(share * 100 + 1e-9)}%`;
}

/** True under `npm run bench`: each benchmark keeps to its short form. */
export function benchShortMode(): boolean {
  return process.env.BENCH_SHORT === '1';
}

/**
 * Collects one benchmark's results from its start; `finish` writes them where the runner
 * asked. Starting it first matters: its load average is the machine before the run, and the
 * kernel's memory monitor is watched from then.
 */
export class BenchResults {
  private readonly startedAt = new Date();
  private readonly loadAtStart = loadavg()[0];
  private readonly kernelMemoryMonitor = KernelMemoryMonitorWatch.start();
  private readonly results: TargetResult[] = [];

  constructor(
    private readonly benchmark: string,
    private readonly parameters: Record<string, string | number> = {},
  ) {}

  record(result: TargetResult): void {
    this.results.push(result);
  }

  setParameter(name: string, value: string | number): void {
    this.parameters[name] = value;
  }

  /** Writes the run to `BENCH_RESULTS_FILE` when it is set; returns what it wrote. */
  finish(): BenchRun {
    const kernelMemoryMonitor = this.kernelMemoryMonitor.finish();
    const run: BenchRun = {
      benchmark: this.benchmark,
      mode: benchShortMode() ? 'short' : 'full',
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      loadAverage: { start: round2(this.loadAtStart), end: round2(loadavg()[0]) },
      ...(kernelMemoryMonitor && { kernelMemoryMonitor }),
      parameters: { ...this.parameters },
      results: [...this.results],
    };
    const file = process.env.BENCH_RESULTS_FILE;
    if (file) writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
    return run;
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
