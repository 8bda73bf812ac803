import type { INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyHashChains } from '../audit/verify-hash-chains.js';
import { verifyProjection } from '../audit/verify-projections.js';
import { AppConfig } from '../config/app-config.js';
import { IN_MEMORY } from '../infrastructure/sqlite/open-sqlite-database.js';
import { openSqliteReadModelDb } from '../infrastructure/sqlite/sqlite-read-model-db.js';
import { NotFoundError } from '../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { UpcastingEventStore } from '../kernel/event-store/upcasting-event-store.js';
import { type Projection, READ_MODEL_DB, type ReadModelDb } from '../infrastructure/projections/contract/projection.js';
import { LOGGER } from '../logging/logger.token.js';
import { PROJECTIONS } from '../infrastructure/projections/projections.token.js';
import { ProgressBar } from './progress-bar.js';

/** Exit code when verification found a difference (the CLI's other codes are in cli.ts). */
export const VERIFICATION_FAILED = 4;

/**
 * Before the app opens: which events file, and whether there are live read models to compare
 * with. An auditor handed only the events file (`--events FILE`, or SQLITE_EVENTS_PATH with no
 * read-models file beside it) gets the projections rebuilt in a scratch store in a temp
 * directory, removed afterwards, instead of a read-models file created where they run it.
 */
export async function prepareVerify(
  config: AppConfig,
  options: { events?: string },
): Promise<{ overrides: Record<string, string>; eventsOnly: boolean; cleanUp: () => void }> {
  const overrides: Record<string, string> = {};
  if (options.events !== undefined) overrides['SQLITE_EVENTS_PATH'] = options.events;
  const eventsPath = options.events ?? config.SQLITE_EVENTS_PATH;
  if ((options.events !== undefined || config.EVENT_STORE === 'sqlite') && eventsPath !== IN_MEMORY && !existsSync(eventsPath)) {
    throw new NotFoundError('EVENTS.NOT_FOUND', `No events file at ${eventsPath}`, { path: eventsPath });
  }
  const readModelsGiven = options.events === undefined || process.env['SQLITE_READ_MODELS_PATH'] !== undefined;
  const eventsOnly =
    config.READ_STORE === 'sqlite' && config.SQLITE_READ_MODELS_PATH !== IN_MEMORY && (!readModelsGiven || !existsSync(config.SQLITE_READ_MODELS_PATH));
  if (!eventsOnly) return { overrides, eventsOnly, cleanUp: () => {} };
  const scratch = mkdtempSync(join(tmpdir(), 'arrears-verify-'));
  overrides['SQLITE_READ_MODELS_PATH'] = join(scratch, 'read-models.sqlite');
  process.stderr.write(`No read models to compare with: checking the hash chains and rebuilding every projection from ${eventsPath} alone, in a scratch store\n`);
  return { overrides, eventsOnly, cleanUp: () => rmSync(scratch, { recursive: true, force: true }) };
}

/**
 * `arrears verify [--events FILE]`: every stream's hash chain, then every projection rebuilt
 * from the first event in a scratch database and compared row by row with the live one (or,
 * with the events alone, rebuilt to the last event). The report is JSON on stdout; each
 * difference is also named on stderr; the exit code is 4 if any.
 */
export async function verifyCommand(app: INestApplicationContext, options: { eventsOnly: boolean }): Promise<number> {
  const events = app.get<EventStore>(EVENT_STORE);
  const stored = events instanceof UpcastingEventStore ? events.stored : events;

  const chainBar = new ProgressBar('hash chains', 'events');
  const chains = await verifyHashChains(stored, (position, head) => chainBar.update(position, head)).finally(() => chainBar.stop());
  for (const p of chains.problems) process.stderr.write(`BROKEN ${p.stream} revision ${p.revision} (position ${p.position}): ${p.problem}: ${p.detail}\n`);

  const live = options.eventsOnly ? null : app.get<ReadModelDb>(READ_MODEL_DB);
  const { PROJECTION_BATCH_SIZE } = app.get(AppConfig);
  const projections = [];
  for (const projection of app.get<Projection[]>(PROJECTIONS)) {
    const scratch = openSqliteReadModelDb(IN_MEMORY);
    const bar = new ProgressBar(`rebuild ${projection.name}`, 'events');
    try {
      const check = await verifyProjection(projection, events, live, scratch, {
        batchSize: PROJECTION_BATCH_SIZE,
        logger: app.get(LOGGER),
        onProgress: (position, of) => bar.update(position, of),
      });
      for (const d of check.differences) process.stderr.write(`DIFFERS ${d.projection}.${d.table}: only ${d.onlyIn}: ${JSON.stringify(d.row)}\n`);
      if (check.neverBuiltLive) process.stderr.write(`NOT BUILT ${check.projection}: the live read models hold nothing of it yet (the engine builds it as it starts, or arrears replay)\n`);
      projections.push(check);
    } finally {
      bar.stop();
      await scratch.destroy();
    }
  }
  const ok = chains.problems.length === 0 && projections.every((p) => p.differences.length === 0);
  process.stdout.write(`${JSON.stringify({ ok, ...(options.eventsOnly && { comparedWithLive: false }), hashChains: chains, projections }, null, 2)}\n`);
  return ok ? 0 : VERIFICATION_FAILED;
}
