/**
 * `npm run bench`: every benchmark in its short mode (BENCH_SHORT=1), one after another so
 * none measures while another loads the machine, in about four minutes on the 2-core machines
 * of 2026-12-06 (BUDGET_SECONDS is ten).
 * Each writes what it judged (bench/support/bench-results.ts) to a file of its own; this
 * gathers them into bench/results/latest.json and writes the README's table of results,
 * each line PASS or MISS against its target, with the load average beside it.
 *
 *   npm run bench                     # run them all, write latest.json and the README table
 *   npm run bench -- --only bench:http,bench:store
 *   npm run bench -- --table-only     # redraw the README table from the files kept
 *
 * Full-size runs that no short mode stands for (close of business at a million loans) are
 * kept as bench/results/full/*.json: run the benchmark with BENCH_RESULTS_FILE naming such
 * a file, then `--table-only`. A MISS is reported, not failed (the machine is shared); a
 * benchmark that fails or writes no results makes the run exit non-zero.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ProgressBar } from '../src/cli/progress-bar.js';
import type { BenchRun } from './support/bench-results.js';
import { type GatheredRuns, renderResultsTable, withResultsTable } from './support/results-table.js';

interface Benchmark {
  readonly name: string;
  readonly script: string;
  readonly nodeFlags: readonly string[];
  /** What its short mode should take here, for the progress bar and the budget's warning. */
  readonly expectedSeconds: number;
}

/** As package.json runs them: the close of business and replay ones with a larger young generation. */
const BENCHMARKS: readonly Benchmark[] = [
  { name: 'bench:store', script: 'store.bench.js', nodeFlags: [], expectedSeconds: 40 },
  { name: 'bench:http', script: 'http.bench.js', nodeFlags: [], expectedSeconds: 220 },
  { name: 'bench:cob', script: 'cob.bench.js', nodeFlags: ['--max-semi-space-size=64'], expectedSeconds: 30 },
  { name: 'bench:replay', script: 'replay.bench.js', nodeFlags: ['--max-semi-space-size=64'], expectedSeconds: 40 },
  { name: 'bench:loan-history', script: 'loan-history.bench.js', nodeFlags: [], expectedSeconds: 20 },
  { name: 'bench:backdating', script: 'backdated-payment.bench.js', nodeFlags: [], expectedSeconds: 10 },
];
const BUDGET_SECONDS = 600;

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const resultsDir = join(repoRoot, 'bench', 'results');
const fullRunsDir = join(resultsDir, 'full');
const logsDir = join(resultsDir, 'logs');
const latestFile = join(resultsDir, 'latest.json');
const readmeFile = join(repoRoot, 'README.md');

function runBenchmark(benchmark: Benchmark, resultsFile: string, progress: (seconds: number) => void): Promise<number> {
  const log = createWriteStream(join(logsDir, `${benchmark.name.replace(':', '-')}.log`));
  const child = spawn(process.execPath, [...benchmark.nodeFlags, join(benchDir, benchmark.script)], {
    env: { ...process.env, BENCH_SHORT: '1', BENCH_RESULTS_FILE: resultsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const startedAt = Date.now();
  const ticker = setInterval(() => progress((Date.now() - startedAt) / 1000), 1000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(ticker);
      log.end();
      resolve(code ?? 1);
    });
  });
}

/** A benchmark that died or judged nothing still gets a line, so the table never hides it. */
function failedRun(benchmark: Benchmark, why: string, startedAt: Date): BenchRun {
  const load = Math.round(loadavg()[0]! * 100) / 100;
  return {
    benchmark: benchmark.name,
    mode: 'short',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    loadAverage: { start: load, end: load },
    parameters: {},
    results: [{ benchmark: benchmark.name, measured: `did not finish: ${why} (bench/results/logs/)`, target: 'a run', met: false }],
  };
}

/**
 * The commit measured, marked when the working tree held changes beside it. What this runner
 * itself writes (the results and the README's table) is not a change to what it measures: a
 * second run before those were committed was marked as if the code had changed.
 */
function commitMeasured(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results', ':(exclude)README.md');
  return git('rev-parse', 'HEAD') + (changed === '' ? '' : ' with uncommitted changes');
}

function readFullRuns(): BenchRun[] {
  if (!existsSync(fullRunsDir)) return [];
  return readdirSync(fullRunsDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(fullRunsDir, file), 'utf8')) as BenchRun);
}

function writeReadmeTable(gathered: GatheredRuns): void {
  const table = renderResultsTable(gathered, readFullRuns());
  writeFileSync(readmeFile, withResultsTable(readFileSync(readmeFile, 'utf8'), table));
  console.log(`\n${table}\n\nwritten to README.md`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, 'table-only': { type: 'boolean' } } });
  if (values['table-only']) {
    writeReadmeTable(JSON.parse(readFileSync(latestFile, 'utf8')) as GatheredRuns);
    return 0;
  }
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name)) ?? [];
  if (unknown.length > 0) {
    console.error(`no such benchmark: ${unknown.join(', ')} (there are ${BENCHMARKS.map((b) => b.name).join(', ')})`);
    return 2;
  }
  const chosen = BENCHMARKS.filter((benchmark) => !only || only.includes(benchmark.name));
  mkdirSync(logsDir, { recursive: true });

  const startedAt = new Date();
  const expected = chosen.reduce((sum, benchmark) => sum + benchmark.expectedSeconds, 0);
  const bar = new ProgressBar('npm run bench', 's expected');
  const runs: BenchRun[] = [];
  let failures = 0;
  let secondsBefore = 0;
  for (const benchmark of chosen) {
    console.error(`\n${benchmark.name} (short mode) — log in bench/results/logs/`);
    const resultsFile = join(resultsDir, `.${benchmark.name.replace(':', '-')}.json`);
    writeFileSync(resultsFile, '');
    const benchStartedAt = new Date();
    const code = await runBenchmark(benchmark, resultsFile, (seconds) =>
      bar.update(Math.min(Math.round(secondsBefore + seconds), expected), expected),
    );
    secondsBefore += (Date.now() - benchStartedAt.getTime()) / 1000;
    const written = readFileSync(resultsFile, 'utf8');
    if (code !== 0 || written === '') {
      failures++;
      runs.push(failedRun(benchmark, code !== 0 ? `exit code ${code}` : 'it wrote no results', benchStartedAt));
    } else {
      runs.push(JSON.parse(written) as BenchRun);
    }
  }
  bar.stop();

  const gathered: GatheredRuns = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
    },
    commit: commitMeasured(),
    runs,
  };
  // A partial run must not stand in for the whole one the README's table is drawn from.
  const gatheredFile = only ? join(resultsDir, 'partial.json') : latestFile;
  writeFileSync(gatheredFile, `${JSON.stringify(gathered, null, 2)}\n`);
  console.log(`\nwritten to ${gatheredFile.slice(repoRoot.length)}`);
  if (!only) writeReadmeTable(gathered);
  const seconds = secondsBefore;
  if (seconds > BUDGET_SECONDS) console.error(`note: the short mode took ${Math.round(seconds)} s, over its ${BUDGET_SECONDS} s budget`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
