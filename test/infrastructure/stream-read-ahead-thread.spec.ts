import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../src/infrastructure/sqlite/open-sqlite-database.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { StreamReadAheadThread } from '../../src/infrastructure/sqlite/stream-read-ahead-thread.js';
import type { FromStreamReadAheadWorker } from '../../src/infrastructure/sqlite/stream-read-ahead-thread-messages.js';
import type { StreamReadAhead } from '../../src/kernel/event-store/event-store.port.js';
import { someEvents } from '../support/events.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The streams a close of business is about to load, read ahead on a thread of its own. The
 * thread's script runs only from the build (`npm test` builds it first), as the projection
 * worker's does.
 */
const BUILT_WORKER = new URL('../../dist/src/infrastructure/sqlite/stream-read-ahead-worker.js', import.meta.url);
const SCHEMA = 'tally-v1';

type StoreReadingAhead = SqliteEventStore & Required<Pick<SqliteEventStore, 'readAhead' | 'takeReadAhead' | 'dropReadAhead'>>;

describe('StreamReadAheadThread', () => {
  let folder: string;
  let path: string;
  let store: StoreReadingAhead | undefined;
  const said: unknown[][] = [];
  const logger = { error: (...args: unknown[]) => void said.push(args), warn: (...args: unknown[]) => void said.push(args) };

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-read-ahead-'));
    path = join(folder, 'events.sqlite');
    said.length = 0;
    // Ten streams of five events; every other one with a snapshot at revision 2.
    const writer = new SqliteEventStore(openSqliteDatabase(path));
    for (let n = 0; n < 10; n++) {
      await writer.appendToStream(`tally-${n}`, someEvents(3), 'no-stream', n % 2 === 0 ? { snapshot: { schema: SCHEMA, state: { n } } } : undefined);
      await writer.appendToStream(`tally-${n}`, someEvents(2), 2);
    }
    await writer.close();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  const hints = (from: number, to: number): StreamReadAhead[] =>
    Array.from({ length: to - from }, (_, i) => ({ stream: `tally-${from + i}`, snapshotSchema: SCHEMA, eventId: `no-such-event-${from + i}` }));

  type Report = Extract<FromStreamReadAheadWorker, { kind: 'read' }>;
  function storeReadingAhead(script = BUILT_WORKER): { thread: StreamReadAheadThread; done: Report[] } {
    const thread = new StreamReadAheadThread(path, logger, script);
    const done: Report[] = [];
    thread.onRead((said) => said.kind === 'read' && done.push(said));
    const opened = new SqliteEventStore(openSqliteDatabase(path), { readAhead: thread });
    if (!opened.readAhead || !opened.takeReadAhead || !opened.dropReadAhead) throw new Error('a store given a read-ahead thread offers no read-ahead');
    store = opened as StoreReadingAhead;
    return { thread, done };
  }

  it('hands each stream over once, as the load would read it: snapshot, events past it, and where the event id is', async () => {
    const { done } = storeReadingAhead();
    const [even, odd] = [hints(0, 1)[0]!, hints(1, 2)[0]!];
    const stored = await store!.readStream('tally-1');
    store!.readAhead([even, { ...odd, eventId: stored[3]!.id }]);
    await waitFor(() => done.length === 1, 'the request done');
    const tally0 = store!.takeReadAhead('tally-0', SCHEMA)!;
    expect(tally0.snapshot).toEqual({ schema: SCHEMA, revision: 2, state: { n: 0 } });
    expect(tally0.tail.map((event) => [event.revision, event.data])).toEqual((await store!.readStream('tally-0', 3)).map((event) => [event.revision, event.data]));
    expect({ eventId: tally0.eventId, eventLocation: tally0.eventLocation }).toEqual({ eventId: 'no-such-event-0', eventLocation: undefined });
    const tally1 = store!.takeReadAhead('tally-1', SCHEMA)!;
    expect({ snapshot: tally1.snapshot, revisions: tally1.tail.map((event) => event.revision), eventLocation: tally1.eventLocation }).toEqual({
      snapshot: undefined,
      revisions: [0, 1, 2, 3, 4],
      eventLocation: { stream: 'tally-1', revision: 3 },
    });
    // Once: a second load reads the store itself.
    expect(store!.takeReadAhead('tally-0', SCHEMA)).toBeUndefined();
    expect(store!.takeReadAhead('tally-5', SCHEMA)).toBeUndefined();
  });

  it('hands over the stream as it stood when read, and nothing read with another snapshot schema', async () => {
    const { done } = storeReadingAhead();
    store!.readAhead(hints(0, 2));
    await waitFor(() => done.length === 1, 'the request done');
    await store!.appendToStream('tally-1', someEvents(1), 4);
    expect(store!.takeReadAhead('tally-1', SCHEMA)!.tail.at(-1)!.revision).toBe(4);
    expect(store!.takeReadAhead('tally-0', 'tally-v2')).toBeUndefined();
    expect(store!.takeReadAhead('tally-0', SCHEMA)).toBeUndefined();
  });

  it('hands over only the newest read of a stream named again', async () => {
    const { done } = storeReadingAhead();
    store!.readAhead(hints(0, 2));
    await waitFor(() => done.length === 1, 'the first request done');
    await store!.appendToStream('tally-1', someEvents(1), 4);
    store!.readAhead(hints(1, 2));
    // Until the new read arrives, nothing: the first one is older than what the store holds.
    expect(store!.takeReadAhead('tally-1', SCHEMA)).toBeUndefined();
    await waitFor(() => done.length === 2, 'the second request done');
    expect(store!.takeReadAhead('tally-1', SCHEMA)!.tail.at(-1)!.revision).toBe(5);
    expect(store!.takeReadAhead('tally-0', SCHEMA)).toBeDefined();
  });

  it('hands nothing over of a stream it was told to let go of', async () => {
    const { done } = storeReadingAhead();
    store!.readAhead(hints(0, 2));
    await waitFor(() => done.length === 1, 'the request done');
    store!.dropReadAhead('tally-0');
    expect(store!.takeReadAhead('tally-0', SCHEMA)).toBeUndefined();
    expect(store!.takeReadAhead('tally-1', SCHEMA)).toBeDefined();
  });

  it('is not offered by a store without the thread, so that nobody names streams to it for nothing', async () => {
    const plain = new SqliteEventStore(openSqliteDatabase(path));
    try {
      expect([plain.readAhead, plain.takeReadAhead, plain.dropReadAhead]).toEqual([undefined, undefined, undefined]);
    } finally {
      await plain.close();
    }
  });

  it('lets go of what a request two behind the newest read and nobody took', async () => {
    const { done } = storeReadingAhead();
    store!.readAhead(hints(0, 2));
    await waitFor(() => done.length === 1, 'the first request done');
    store!.readAhead(hints(2, 4));
    await waitFor(() => done.length === 2, 'the second request done');
    // Still kept while the next page is being read.
    expect(store!.takeReadAhead('tally-0', SCHEMA)).toBeDefined();
    store!.readAhead(hints(4, 6));
    expect(store!.takeReadAhead('tally-1', SCHEMA)).toBeUndefined();
    expect(store!.takeReadAhead('tally-2', SCHEMA)).toBeDefined();
  });

  it('reads every stream the store is told of, on its own connection, and stops with the store without a word', async () => {
    const { done } = storeReadingAhead();
    store!.readAhead(hints(0, 10));
    store!.readAhead([{ stream: 'tally-no-such', snapshotSchema: undefined, eventId: 'none' }]);
    await waitFor(() => done.length === 2, 'both requests done');
    // The even streams from their snapshot at revision 2 (two events past it), the odd ones whole.
    expect(done).toEqual([
      { kind: 'read', request: 1, read: 10, skipped: 0, snapshots: 5, events: 5 * 2 + 5 * 5 },
      { kind: 'read', request: 2, read: 1, skipped: 0, snapshots: 0, events: 0 },
    ]);
    // A hint changes no answer.
    expect((await store!.readStream('tally-3')).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
    await store!.close();
    store = undefined;
    expect(said).toEqual([]);
  });

  it('drops a request two behind the newest: the store has loaded those streams itself by then', async () => {
    const { done } = storeReadingAhead();
    // All three sent before the thread reads the first: it finds the first two requests behind.
    store!.readAhead(hints(0, 4));
    store!.readAhead(hints(4, 8));
    store!.readAhead(hints(8, 10));
    await waitFor(() => done.length === 3, 'the three requests answered');
    expect(done).toEqual([
      { kind: 'read', request: 1, read: 0, skipped: 4, snapshots: 0, events: 0 },
      { kind: 'read', request: 2, read: 4, skipped: 0, snapshots: 2, events: 2 + 5 + 2 + 5 },
      { kind: 'read', request: 3, read: 2, skipped: 0, snapshots: 1, events: 2 + 5 },
    ]);
  });

  it('goes on with the next request after a read fails, and says so once', async () => {
    const { done } = storeReadingAhead();
    const unreadable = { stream: 'tally-0', snapshotSchema: SCHEMA, eventId: { not: 'an id' } as unknown as string };
    store!.readAhead([...hints(0, 1), unreadable, ...hints(1, 2)]);
    await waitFor(() => done.length === 1, 'the failed request answered');
    store!.readAhead([unreadable]);
    store!.readAhead(hints(2, 3));
    await waitFor(() => done.length === 3, 'the next requests answered');
    expect(done.map(({ read, skipped, failure }) => ({ read, skipped, failed: failure !== undefined }))).toEqual([
      { read: 1, skipped: 2, failed: true },
      { read: 0, skipped: 1, failed: true },
      { read: 1, skipped: 0, failed: false },
    ]);
    expect(said).toHaveLength(1);
    expect(String(said[0]!.at(-1))).toContain('the stream read-ahead thread could not read ahead');
  });

  it('does not hold a process whose work is done, though nobody stopped it', () => {
    const script = [
      `import { StreamReadAheadThread } from ${JSON.stringify(new URL('../../dist/src/infrastructure/sqlite/stream-read-ahead-thread.js', import.meta.url).href)};`,
      `const thread = new StreamReadAheadThread(${JSON.stringify(path)}, console);`,
      `thread.readAhead(${JSON.stringify(hints(0, 10))});`,
      "console.log('told');",
    ].join('\n');
    const scriptPath = join(folder, 'read-ahead-and-end.mjs');
    writeFileSync(scriptPath, script);
    const run = spawnSync(process.execPath, [scriptPath], { encoding: 'utf8', timeout: 10_000 });
    expect({ status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }).toEqual({ status: 0, stdout: 'told', stderr: '' });
  });

  it('says so, and the store reads on without it, when its script cannot be loaded', async () => {
    const { done } = storeReadingAhead(new URL('./no-such-worker.js', BUILT_WORKER));
    store!.readAhead(hints(0, 2));
    await waitFor(() => said.some((words) => String(words.at(-1)).includes('the stream read-ahead thread exited unexpectedly')), 'the thread ending to be reported');
    store!.readAhead(hints(2, 4));
    expect((await store!.readStream('tally-2')).length).toBe(5);
    expect(done).toEqual([]);
  });
});
