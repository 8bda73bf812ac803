import { jest } from '@jest/globals';
import { Worker } from 'node:worker_threads';
import { IN_MEMORY, openSqliteDatabase } from '../../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../../src/infrastructure/sqlite/sqlite-event-store.js';
import { ProjectionThread } from '../../../src/infrastructure/projections/worker/projection-thread.js';
import { someEvents } from '../../support/events.js';
import { testConfig } from '../../support/test-config.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * The request thread's side of the projection worker, against stand-in workers (CommonJS
 * evaluated in a real worker thread) that say what the real one would: the real one runs
 * only from the build, and is tested through the built engine (projection-worker.e2e).
 */
const standIn = (body: string) => () => new Worker(`const { parentPort } = require('node:worker_threads');\n${body}`, { eval: true });

/**
 * Starts, reports two statuses: the append notices it heard as one's checkpoint, the last
 * position they told as the other's; stops when told.
 */
const WELL_BEHAVED = `
  let notices = 0;
  let told = 0;
  const report = () => parentPort.postMessage({ kind: 'statuses', statuses: [
    { name: 'notices', version: 1, checkpoint: notices, state: 'live' },
    { name: 'told', version: 1, checkpoint: told, state: 'live' },
  ] });
  parentPort.on('message', (message) => {
    if (message.kind === 'appended') { notices++; told = message.lastPosition; report(); return; }
    parentPort.postMessage({ kind: 'stopped' });
    parentPort.close();
  });
  report();
  parentPort.postMessage({ kind: 'started' });
`;

describe('ProjectionThread', () => {
  const errors: unknown[][] = [];
  const logger = { error: (...args: unknown[]) => void errors.push(args) };
  let store: SqliteEventStore;

  beforeEach(() => {
    errors.length = 0;
    store = new SqliteEventStore(openSqliteDatabase(IN_MEMORY));
  });
  afterEach(() => store.close());

  it("keeps the statuses the worker reports, passes on what the store tells of appends (a burst as one notice, with its last position), and stops it", async () => {
    const listenFor = store.onAppended.bind(store);
    const stoppedListening = jest.fn();
    jest.spyOn(store, 'onAppended').mockImplementation((listener) => {
      const stopListening = listenFor(listener);
      return () => (stoppedListening(), stopListening());
    });
    const thread = await ProjectionThread.start(testConfig(), store, logger, standIn(WELL_BEHAVED));
    expect(thread.statusOf('notices')).toEqual({ name: 'notices', version: 1, checkpoint: 0, state: 'live' });
    expect(thread.statusOf('another')).toBeUndefined();

    await Promise.all([1, 2, 3].map((n) => store.appendToStream(`loan-${n}`, someEvents(1), 'no-stream')));
    await waitFor(() => thread.statusOf('notices')!.checkpoint > 0, 'a notice of the appends');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(thread.statusOf('notices')!.checkpoint).toBe(1);
    expect(thread.statusOf('told')!.checkpoint).toBe(await store.headPosition());

    await thread.stop();
    expect(thread.failure).toBeUndefined();
    expect(errors).toEqual([]);
    // Stopped: it no longer listens for this store's appends (no listener left behind per start).
    expect(stoppedListening).toHaveBeenCalled();
  });

  it('refuses to start, saying why, when the worker cannot start its projections', async () => {
    const failing = standIn(`parentPort.postMessage({ kind: 'failed', message: 'read store unreachable' }); parentPort.close();`);
    await expect(ProjectionThread.start(testConfig(), store, logger, failing)).rejects.toThrow('the projection worker could not start: read store unreachable');
  });

  it('refuses to start when the worker dies before it has started', async () => {
    await expect(ProjectionThread.start(testConfig(), store, logger, standIn('process.exit(3);'))).rejects.toThrow(
      'the projection worker exited while starting (code 3)',
    );
  });

  it('counts every projection as failed, and says so, once the worker dies on its own', async () => {
    const dying = standIn(`${WELL_BEHAVED}\nsetTimeout(() => process.exit(4), 50);`);
    const thread = await ProjectionThread.start(testConfig(), store, logger, dying);
    await waitFor(() => thread.failure !== undefined, 'the worker to die');

    expect(thread.failure).toBe('the projection worker exited unexpectedly (code 4)');
    expect(errors).toContainEqual(['the projection worker exited unexpectedly (code 4)']);
    await thread.stop();
  });
});
