import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { secondsSince } from './stopwatch.js';

/**
 * BENCH_COB_SEEDED=<directory>: a portfolio seeded and caught up once (bench:cob), kept for
 * later runs. A run that finds none there seeds and catches up as usual, then copies its
 * files there; a run that finds one of its number of loans starts from a copy and skips both
 * (at a million loans the run takes ~8 minutes instead of ~26), so that two builds' closes can
 * be compared on the same portfolio within the hour. The kept files are what the keeping
 * build wrote (its event log, read-model layout and projections): the manifest names that
 * build, and a run from it says so. Keeping needs the portfolio's size twice on the disk.
 */
export const KEPT_PORTFOLIO_ENV = 'BENCH_COB_SEEDED';
/** Written last, and the directory renamed into place after it: a copy cut short is never taken for a kept portfolio. */
const KEPT_MANIFEST = 'kept-portfolio.json';

export interface KeptManifest {
  readonly loans: number;
  readonly keptAt: string;
  /** The commit of the build that seeded it (git rev-parse HEAD), where git could say. */
  readonly commit: string | undefined;
  /** Every file kept, with its size in bytes: restored exactly, and refused if one differs. */
  readonly files: Readonly<Record<string, number>>;
}

/** Said after each file is copied (a million loans' event log takes a minute or more). */
export type CopyProgress = (file: string, bytes: number, seconds: number) => void;

export class KeptPortfolio {
  constructor(
    readonly directory: string,
    private readonly loans: number,
  ) {}

  /**
   * The kept portfolio's manifest; undefined where the directory does not exist yet. Refused:
   * a path that is not a directory, a directory with files but no manifest (not one this
   * benchmark kept), and a portfolio of another number of loans.
   */
  manifest(): KeptManifest | undefined {
    let entries: string[];
    try {
      entries = readdirSync(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`${KEPT_PORTFOLIO_ENV}=${this.directory} cannot be read as a directory: ${(error as Error).message}`);
    }
    if (!entries.includes(KEPT_MANIFEST)) {
      if (entries.length === 0) return undefined;
      throw new Error(`${KEPT_PORTFOLIO_ENV}=${this.directory} holds files but no ${KEPT_MANIFEST}: name an empty or new directory`);
    }
    const manifest = JSON.parse(readFileSync(join(this.directory, KEPT_MANIFEST), 'utf8')) as KeptManifest;
    if (manifest.files === undefined) throw new Error(`${KEPT_PORTFOLIO_ENV}=${this.directory} was kept by an earlier bench:cob whose manifest lists no files: keep the portfolio again`);
    if (manifest.loans !== this.loans) {
      throw new Error(`${KEPT_PORTFOLIO_ENV}=${this.directory} keeps a portfolio of ${manifest.loans.toLocaleString('en')} loans, not ${this.loans.toLocaleString('en')}: name another directory`);
    }
    return manifest;
  }

  /** Copies the kept files the manifest lists into `scratch`, where the run works; the kept files stay as they were. */
  restoreInto(scratch: string, manifest: KeptManifest, onCopied?: CopyProgress): void {
    for (const [name, bytes] of Object.entries(manifest.files)) {
      const kept = join(this.directory, name);
      const size = statSync(kept).size;
      if (size !== bytes) throw new Error(`the kept ${kept} has ${size} bytes, not the ${bytes} its manifest says: keep the portfolio again`);
      const startedAt = performance.now();
      copyLeavingOneCached(kept, join(scratch, name), 'copy');
      onCopied?.(name, bytes, secondsSince(startedAt));
    }
  }

  /**
   * Copies a seeded and caught-up run's files (no process has them open) from `scratch`
   * into a directory of its own, then renames that into place.
   */
  keepFrom(scratch: string, onCopied?: CopyProgress): void {
    const partial = `${this.directory}.partial-${process.pid}`;
    mkdirSync(partial, { recursive: true });
    try {
      const files: Record<string, number> = {};
      for (const name of readdirSync(scratch)) {
        if (!statSync(join(scratch, name)).isFile()) continue;
        const startedAt = performance.now();
        copyLeavingOneCached(join(scratch, name), join(partial, name), 'original');
        files[name] = statSync(join(partial, name)).size;
        onCopied?.(name, files[name], secondsSince(startedAt));
      }
      const manifest: KeptManifest = { loans: this.loans, keptAt: new Date().toISOString(), commit: currentCommit(), files };
      writeSynced(join(partial, KEPT_MANIFEST), JSON.stringify(manifest, null, 2));
      // An empty directory named in advance gives way; one with files was refused by manifest().
      removeEmptyDirectory(this.directory);
      renameSync(partial, this.directory);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      throw error;
    }
  }
}

/**
 * Copies a file, synced to the disk, leaving only the side the run reads in the page cache,
 * as a run straight after seeding has it, with nothing left to write back while the closes
 * are timed. GNU dd does it (nocache: posix_fadvise DONTNEED, which Node cannot call). A
 * plain copy left both sides competing for the memory: 2.1 of the 13.3 GB log stayed cached,
 * and a million-loan close took 59.8–80.5 s (35–37 s on a core) where, copied this way, it
 * took 47.9–53.5 s (31.6–35.5 s) in four runs, on one machine in one hour.
 */
function copyLeavingOneCached(from: string, to: string, cached: 'original' | 'copy'): void {
  const dd = (...operands: string[]) => {
    const run = spawnSync('dd', [...operands, 'status=none']);
    if (run.status !== 0) {
      const why = run.stderr?.toString().trim() || run.error?.message || (run.signal ? `ended by ${run.signal}` : `exit code ${run.status}`);
      throw new Error(`could not copy ${from} to ${to}: dd: ${why}`);
    }
  };
  dd(`if=${from}`, `of=${to}`, 'bs=8M', cached === 'copy' ? 'iflag=nocache' : 'oflag=nocache', 'conv=fsync');
  // The copy's pages that were not yet on the disk when dd let them go, now that they are.
  if (cached === 'original') dd(`if=${to}`, 'iflag=nocache', 'count=0');
}

function writeSynced(path: string, text: string): void {
  const file = openSync(path, 'w');
  try {
    writeSync(file, text);
    fsyncSync(file);
  } finally {
    closeSync(file);
  }
}

function removeEmptyDirectory(path: string): void {
  try {
    rmdirSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function currentCommit(): string | undefined {
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : undefined;
}
