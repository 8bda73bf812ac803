import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { IN_MEMORY } from '../infrastructure/sqlite/open-sqlite-database.js';
import { RUN_LOCK, type RunLock } from '../infrastructure/run-lock.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { type Projection, READ_MODEL_DB, type ReadModelDb } from '../infrastructure/projections/contract/projection.js';
import { PROJECTIONS } from '../infrastructure/projections/projections.token.js';
import { replayProjections } from '../infrastructure/projections/replay/replay-projections.js';
import { PostgresReplayTarget, SqliteReplayTarget } from '../infrastructure/projections/replay/replay-target.js';
import { ReplayInProgressError } from '../infrastructure/projections/replay/replay-in-progress.error.js';
import { ProgressBar } from './progress-bar.js';
import { UsageError } from './usage-error.js';

/**
 * `arrears replay [--projection NAME]`: rebuilds every projection (or one) from the first
 * event into fresh tables and swaps them in atomically; live queries keep answering from
 * the old tables until then. One replay at a time on a store (RunLock): two would build in
 * the same scratch file (or schema), and one could swap in the other's half-built tables
 * with its own checkpoint, read models missing events for good. A second is refused
 * (REPLAY.IN_PROGRESS, exit 3), naming the first.
 */
export async function replayCommand(app: INestApplicationContext, values: { projection?: string }): Promise<number> {
  const all = app.get<Projection[]>(PROJECTIONS);
  const selected = values.projection === undefined ? all : all.filter((p) => p.name === values.projection);
  if (selected.length === 0) throw new UsageError(`--projection must be one of ${all.map((p) => p.name).join(', ')}`);
  const config = app.get(AppConfig);
  if (config.READ_STORE === 'sqlite' && config.SQLITE_READ_MODELS_PATH === IN_MEMORY) throw new UsageError('replay needs the read models in a file (SQLITE_READ_MODELS_PATH)');
  const target =
    config.READ_STORE === 'postgres'
      ? new PostgresReplayTarget(config.READ_STORE_URL, config.READ_STORE_SCHEMA)
      : new SqliteReplayTarget(`${config.SQLITE_READ_MODELS_PATH}.replay`);

  const bar = new ProgressBar('replay', 'events');
  const startedAt = Date.now();
  try {
    const run = await app.get<RunLock>(RUN_LOCK).whileHolding('replay', `replay of ${selected.map((p) => p.name).join(', ')}`, () =>
      replayProjections(selected, app.get<EventStore>(EVENT_STORE), app.get<ReadModelDb>(READ_MODEL_DB), target, {
        onProgress: (position, until) => bar.update(position, until),
      }),
    );
    bar.stop();
    if (!run.ran) throw new ReplayInProgressError(run.heldBy);
    process.stdout.write(`${JSON.stringify({ ...run.result, seconds: (Date.now() - startedAt) / 1000 }, null, 2)}\n`);
    return 0;
  } finally {
    bar.stop();
  }
}
