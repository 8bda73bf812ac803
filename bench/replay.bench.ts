/**
 * Rebuilding every projection from the first event (issue 8): `arrears replay`'s path —
 * one pass over the log, rows folded in memory, written once into fresh tables and swapped
 * in — next to a raw read + decode of the same log in the same run, as a ratio.
 *
 *   npm run bench:replay                       # about 1,000,000 events
 *   npm run bench:replay -- --loans 5000       # a quick look
 *
 * The log is a loan portfolio written through the loan decider: most loans pay every
 * instalment on its due date; every fifth stops paying after its third and is closed
 * daily for four months (a missed instalment, a penalty accrual a day, 30/60/90-day
 * thresholds). A report, not a test: it exits 0 whether or not the target is met.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EVENT_SCHEMAS } from '../src/app/event-schemas.js';
import { openSqliteDatabase } from '../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../src/infrastructure/sqlite/sqlite-event-store.js';
import { openSqliteReadModelDb } from '../src/infrastructure/sqlite/sqlite-read-model-db.js';
import { START_OF_LOG } from '../src/kernel/event-store/event-store.port.js';
import { UpcastingEventStore } from '../src/kernel/event-store/upcasting-event-store.js';
import { allProjections } from '../src/read-models/all-projections.js';
import { replayProjections } from '../src/infrastructure/projections/replay/replay-projections.js';
import { SqliteReplayTarget } from '../src/infrastructure/projections/replay/replay-target.js';
import { createCheckpointTable } from '../src/infrastructure/projections/runner/checkpoint-table.js';
import { seedLoanPortfolio } from './support/loan-portfolio.js';

/** A full rebuild must run at no less than this share of a raw read + decode of the log. */
const TARGET_SHARE = 0.25;
const DEFAULT_LOANS = 27_000;

const n = (value: number) => Math.round(value).toLocaleString('en');

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const startedAt = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - startedAt) / 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { loans: { type: 'string' } } });
  const loans = values.loans === undefined ? DEFAULT_LOANS : Number(values.loans);
  if (!Number.isSafeInteger(loans) || loans < 1) {
    console.error(`--loans must be a whole number of at least 1, not ${values.loans}\nusage: npm run bench:replay [-- --loans N]`);
    process.exitCode = 2;
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'arrears-replay-bench-'));
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const eventsPath = join(scratch, 'events.sqlite');
  const seeded = await timed(() => seedLoanPortfolio(eventsPath, loans, (done) => process.stderr.write(`seeding: ${n(done)} / ${n(loans)} loans\n`)));
  console.log(`Rebuilding every projection from the first event\n  log: ${n(loans)} loans, ${n(seeded.value)} events (seeded in ${seeded.seconds.toFixed(1)} s)`);

  const events = new UpcastingEventStore(new SqliteEventStore(openSqliteDatabase(eventsPath)), EVENT_SCHEMAS);
  const live = openSqliteReadModelDb(join(scratch, 'read-models.sqlite'));
  await createCheckpointTable(live);
  const projections = allProjections();
  try {
    // The baseline: every event read and its data decoded, as a projection pass reads it.
    const rawRead = async () => {
      let decoded = 0;
      for (let page = await events.readAll(START_OF_LOG, 10_000); page.length > 0; page = await events.readAll(page.at(-1)!.position, 10_000)) {
        for (const event of page) if (event.data !== undefined) decoded++;
      }
      return decoded;
    };
    const raw = await timed(rawRead);
    const replay = await timed(() => replayProjections(projections, events, live, new SqliteReplayTarget(join(scratch, 'read-models.sqlite.replay'))));
    const rawAgain = await timed(rawRead);
    const rawSeconds = Math.min(raw.seconds, rawAgain.seconds);
    const rawRate = raw.value / rawSeconds;
    const replayRate = replay.value.events / replay.seconds;
    const share = replayRate / rawRate;
    console.log(`  raw read + decode: ${n(rawRate)} events/s (best of two: ${rawSeconds.toFixed(2)} s)`);
    console.log(
      `  replay of ${projections.length} projections (${projections.map((p) => p.name).join(', ')}): ${n(replayRate)} events/s ` +
        `(${replay.seconds.toFixed(2)} s, ${n(replay.value.rows)} rows written and swapped in)`,
    );
    console.log(`\nSUMMARY: full rebuild at ${(share * 100).toFixed(0)}% of raw read + decode: ${share >= TARGET_SHARE ? 'MEETS' : 'MISSES'} the ${TARGET_SHARE * 100}% target.`);
  } finally {
    await live.destroy();
    await events.close();
  }
}

await main();
