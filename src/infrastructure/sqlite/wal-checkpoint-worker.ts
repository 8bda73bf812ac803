/**
 * The WAL checkpoint thread's entry (WalCheckpointThread): on a connection of its own to
 * the event log's file, copies the write-ahead log back into the file each time it is
 * asked (SQLite's checkpoint), so that the thread making the commits need not.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../background-thread-priority.js';
import { openSqliteDatabase } from './open-sqlite-database.js';
import type { FromWalCheckpointWorker, ToWalCheckpointWorker, WalCheckpointWorkerData } from './wal-checkpoint-thread-messages.js';

interface CheckpointAnswer {
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
}

// The copy can wait a little: the commands it makes room for come first.
lowerThisThreadsPriority();

const port = parentPort!;
const { path, synchronous } = workerData as WalCheckpointWorkerData;
const db = openSqliteDatabase(path, synchronous);

port.on('message', (message: ToWalCheckpointWorker) => {
  // A request that was already on its way when `stop` came finds the connection closed.
  if (!db.open) return;
  if (message.kind === 'checkpoint') {
    // PASSIVE: copies what no reader still needs, without waiting for readers or the writer;
    // what it leaves is copied by the checkpoint the next commit asks for.
    const [answer] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointAnswer[];
    const said: FromWalCheckpointWorker = { kind: 'checkpointed', walFrames: answer!.log, copiedFrames: answer!.checkpointed };
    port.postMessage(said);
    return;
  }
  db.close();
  port.close();
});
