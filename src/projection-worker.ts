/**
 * The projection worker thread's entry (PROJECTIONS_THREAD=worker): runs every projection
 * this process runs, on store connections of its own, outside Nest. The request thread
 * starts it through ProjectionThread and hears from it by messages.
 */
import 'reflect-metadata';
import { isDeepStrictEqual } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { Subject, asyncScheduler, observeOn, throttleTime } from 'rxjs';
import { AppConfig } from './config/app-config.js';
import { EVENT_SCHEMAS } from './app/event-schemas.js';
import { openEventStore, openReadModelDb, projectionLeasesFor } from './infrastructure/open-stores.js';
import { AppendNotifier } from './kernel/event-store/append-notifier.js';
import { lowerThisThreadsPriority } from './infrastructure/background-thread-priority.js';
import { createLogger } from './logging/create-logger.js';
import { allProjections } from './read-models/all-projections.js';
import { ProjectionHost, projectionHostSettings } from './infrastructure/projections/projection-host.js';
import type { ProjectionStatus } from './infrastructure/projections/runner/projection-status.js';
import type { FromProjectionWorker, ToProjectionWorker } from './infrastructure/projections/worker/projection-thread-messages.js';

/**
 * The least time between two messages of statuses (as the dashboard's live feed throttles
 * its own): a change is told on the next turn of the event loop, and changes that follow
 * within this time are told together at its end (a busy log moves the checkpoints batch
 * after batch, and each message costs the request thread its handling).
 */
const STATUS_SPACING_MS = 5;

// Applying events can wait: commands and close of business on the request thread come first.
lowerThisThreadsPriority();

const port = parentPort!;
const say = (message: FromProjectionWorker) => port.postMessage(message);

// The same settings as the request thread, but projections here run where they are.
const config = Object.assign(new AppConfig(), workerData as AppConfig, { PROJECTIONS_THREAD: 'main' });
const logger = createLogger(config).child({ thread: 'projections' });

try {
  // The request thread's appends, as it tells of them: this thread's own connection to the store hears of them here.
  const appendsOnRequestThread = new AppendNotifier();
  const events = openEventStore(config, EVENT_SCHEMAS, { appendsElsewhere: appendsOnRequestThread, logger });
  const readModels = await openReadModelDb(config);
  let told: readonly ProjectionStatus[] = [];
  const tellStatuses = () => {
    const statuses = projections.runningStatuses();
    if (isDeepStrictEqual(statuses, told)) return;
    told = statuses;
    say({ kind: 'statuses', statuses });
  };
  // Told by the runners as they change, not looked for on a timer: an idle worker does not
  // wake. Read on a later turn (observeOn), once the change that told has finished.
  const statusChanges = new Subject<void>();
  const telling = statusChanges
    .pipe(throttleTime(STATUS_SPACING_MS, asyncScheduler, { leading: true, trailing: true }), observeOn(asyncScheduler))
    .subscribe(tellStatuses);
  const projections = new ProjectionHost(
    allProjections(),
    events,
    readModels,
    projectionLeasesFor(config),
    { ...projectionHostSettings(config), onStatusChange: () => statusChanges.next() },
    logger,
  );

  port.on('message', (message: ToProjectionWorker) => {
    if (message.kind === 'appended') {
      appendsOnRequestThread.appended(message.lastPosition);
      return;
    }
    void (async () => {
      await projections.stop();
      telling.unsubscribe();
      tellStatuses();
      await events.close();
      await readModels.destroy();
      say({ kind: 'stopped' });
      port.close();
    })();
  });

  await projections.start();
  tellStatuses();
  say({ kind: 'started' });
} catch (error) {
  logger.error({ err: error }, 'the projection worker could not start');
  say({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}
