import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeptPortfolio } from '../../bench/support/kept-portfolio.js';

/*
 * bench:cob's kept portfolio (BENCH_COB_SEEDED): a seeded run's files copied aside with a
 * manifest, and copied back for later runs of the same number of loans, or refused. The
 * copies are GNU dd's (iflag/oflag=nocache), as on the Debian machines this suite runs on.
 */

const LOANS = 5_000;
let root: string;
let scratch: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'arrears-kept-portfolio-'));
  scratch = join(root, 'scratch');
  mkdirSync(scratch);
  writeFileSync(join(scratch, 'events.sqlite'), 'the event log '.repeat(1_000));
  writeFileSync(join(scratch, 'read-models.sqlite'), 'the read models');
  mkdirSync(join(scratch, 'not-a-file'));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function kept(): { portfolio: KeptPortfolio; copies: string[] } {
  const portfolio = new KeptPortfolio(join(root, 'kept'), LOANS);
  const copies: string[] = [];
  portfolio.keepFrom(scratch, (file, bytes) => copies.push(`${file} ${bytes}`));
  return { portfolio, copies };
}

describe('a kept portfolio', () => {
  it('is absent until a run keeps one, then lists every file it copied with its size, and says each copy', () => {
    const portfolio = new KeptPortfolio(join(root, 'kept'), LOANS);
    expect(portfolio.manifest()).toBeUndefined();
    const { copies } = kept();
    expect(copies.sort()).toEqual(['events.sqlite 14000', 'read-models.sqlite 15']);
    const manifest = portfolio.manifest()!;
    expect(manifest.loans).toBe(LOANS);
    expect(manifest.files).toEqual({ 'events.sqlite': 14_000, 'read-models.sqlite': 15 });
    expect(readdirSync(root).sort()).toEqual(['kept', 'scratch']);
  });

  it('is copied back byte for byte into a later run', () => {
    const { portfolio } = kept();
    const later = join(root, 'later');
    mkdirSync(later);
    const copies: string[] = [];
    portfolio.restoreInto(later, portfolio.manifest()!, (file) => copies.push(file));
    expect(copies.sort()).toEqual(['events.sqlite', 'read-models.sqlite']);
    for (const file of copies) expect(readFileSync(join(later, file))).toEqual(readFileSync(join(scratch, file)));
  });

  it('is refused where a kept file no longer has the size its manifest says', () => {
    const { portfolio } = kept();
    truncateSync(join(root, 'kept', 'events.sqlite'), 100);
    const later = join(root, 'later');
    mkdirSync(later);
    expect(() => portfolio.restoreInto(later, portfolio.manifest()!)).toThrow(/has 100 bytes, not the 14000 its manifest says/);
  });

  it('is refused for another number of loans, and a directory of other files is never taken for one', () => {
    kept();
    expect(() => new KeptPortfolio(join(root, 'kept'), 1_000_000).manifest()).toThrow(/keeps a portfolio of 5,000 loans, not 1,000,000/);
    expect(() => new KeptPortfolio(scratch, LOANS).manifest()).toThrow(/holds files but no kept-portfolio.json/);
    expect(() => new KeptPortfolio(join(scratch, 'events.sqlite'), LOANS).manifest()).toThrow(/cannot be read as a directory/);
  });
});
