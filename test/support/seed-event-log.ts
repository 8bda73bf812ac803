import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { someEvents } from './events.js';

/** Writes `streams` × `eventsPerStream` events, interleaving streams, into an event store file. */
export async function seedEventLog(path: string, streams: number, eventsPerStream: number, chunk = 50): Promise<number> {
  const store = new SqliteEventStore(openSqliteDatabase(path, 'OFF'));
  for (let from = 0; from < eventsPerStream; from += chunk) {
    for (let s = 0; s < streams; s++) {
      const count = Math.min(chunk, eventsPerStream - from);
      await store.appendToStream(`loan-${s}`, someEvents(count, from === 0 ? 'Opened' : 'Paid', from), from === 0 ? 'no-stream' : from - 1);
    }
  }
  const head = await store.headPosition();
  await store.close();
  return head;
}
