import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { once } from 'node:events';
import { SqliteRunLock } from '../../src/infrastructure/sqlite/sqlite-run-lock.js';

/**
 * The embedded store's run lock (close of business, replay): one process at a time among
 * those sharing the files, a second refused at once and told who holds it, and nothing left
 * held by a process that died.
 */
const BUILT_LOCK = JSON.stringify(new URL('../../dist/src/infrastructure/sqlite/sqlite-run-lock.js', import.meta.url).href);

/** Another process asking for the lock (the built module: `npm test` builds first). */
function askInAnotherProcess(storePath: string, name: string): unknown {
  const script = `import { SqliteRunLock } from ${BUILT_LOCK};\nconsole.log(JSON.stringify(await new SqliteRunLock(${JSON.stringify(storePath)}).whileHolding(${JSON.stringify(name)}, 'another process', async () => 'ran')));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`the other process failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('SqliteRunLock', () => {
  let folder: string;
  let storePath: string;
  beforeEach(() => {
    // Resolved, as the lock names its files (macOS's temporary folder is reached through a link).
    folder = realpathSync(mkdtempSync(join(tmpdir(), 'arrears-run-lock-')));
    storePath = join(folder, 'events.sqlite');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('runs the work holding the lock and lets it go after', async () => {
    const lock = new SqliteRunLock(storePath);
    expect(await lock.whileHolding('replay', 'replay of everything', async () => 42)).toEqual({ ran: true, result: 42 });
    expect(await lock.whileHolding('replay', 'replay of everything', async () => 43)).toEqual({ ran: true, result: 43 });
    expect(existsSync(`${storePath}.replay.lock.holder`)).toBe(false);
  });

  it('refuses a second taker at once, naming the holder, and does not run its work', async () => {
    const first = new SqliteRunLock(storePath);
    const second = new SqliteRunLock(storePath);
    let secondRan = false;
    const outcome = await first.whileHolding('close-of-business', 'close of business 2026-02-01', async () => {
      const refused = await second.whileHolding('close-of-business', 'close of business 2026-02-02', async () => (secondRan = true));
      // Another lock's name is another lock.
      const other = await second.whileHolding('replay', 'replay of everything', async () => 'replayed');
      // Still held, for other processes too, though the refused connection was closed (a
      // process loses its POSIX locks on a file when it closes any descriptor of it).
      const elsewhere = askInAnotherProcess(storePath, 'close-of-business');
      return { refused, other, elsewhere };
    });
    expect(secondRan).toBe(false);
    expect(outcome).toEqual({
      ran: true,
      result: {
        refused: { ran: false, heldBy: expect.stringMatching(new RegExp(`^arrears ${hostname()} pid ${process.pid}: close of business 2026-02-01 \\(since \\d{4}-`)) },
        other: { ran: true, result: 'replayed' },
        elsewhere: { ran: false, heldBy: expect.stringContaining(`pid ${process.pid}: close of business 2026-02-01`) },
      },
    });
  });

  it('is one lock whatever path reaches the store: a symbolic link to the file, or to its folder', async () => {
    writeFileSync(storePath, '');
    const linkedFile = join(folder, 'linked.sqlite');
    symlinkSync(storePath, linkedFile);
    const linkedFolder = join(folder, 'linked-folder');
    symlinkSync(folder, linkedFolder);
    const outcome = await new SqliteRunLock(linkedFile).whileHolding('replay', 'replay through a link', async () => ({
      byFile: await new SqliteRunLock(storePath).whileHolding('replay', 'replay', async () => 'ran'),
      byFolder: await new SqliteRunLock(join(linkedFolder, 'events.sqlite')).whileHolding('replay', 'replay', async () => 'ran'),
      // Relative to the working directory both processes share.
      elsewhere: askInAnotherProcess(relative(process.cwd(), storePath), 'replay'),
    }));
    expect(outcome).toEqual({
      ran: true,
      result: {
        byFile: { ran: false, heldBy: expect.stringContaining('replay through a link') },
        byFolder: { ran: false, heldBy: expect.stringContaining('replay through a link') },
        elsewhere: { ran: false, heldBy: expect.stringContaining('replay through a link') },
      },
    });
    // The lock file lies beside the file itself, not beside the link.
    expect(existsSync(`${storePath}.replay.lock`)).toBe(true);
    expect(existsSync(`${linkedFile}.replay.lock`)).toBe(false);
  });

  it('lets go when the work fails, and passes the failure on', async () => {
    const lock = new SqliteRunLock(storePath);
    await expect(lock.whileHolding('replay', 'replay', async () => Promise.reject(new Error('the log could not be read')))).rejects.toThrow('the log could not be read');
    expect(await lock.whileHolding('replay', 'replay', async () => 'again')).toEqual({ ran: true, result: 'again' });
  });

  it('names the lock file it cannot open, and runs nothing', async () => {
    // What stands where the lock file would be is no file SQLite can open (or, for another user, write).
    mkdirSync(`${storePath}.replay.lock`);
    let ran = false;
    await expect(new SqliteRunLock(storePath).whileHolding('replay', 'replay', async () => (ran = true))).rejects.toThrow(
      `the run lock ${storePath}.replay.lock could not be taken: unable to open database file`,
    );
    expect(ran).toBe(false);
  });

  describe('held by another process', () => {
    let holder: ChildProcess | undefined;
    afterEach(() => holder?.kill('SIGKILL'));

    it('is refused while that process holds it (even when its work is garbage to V8), and free at once when it is killed', async () => {
      const script = [
        `import { SqliteRunLock } from ${BUILT_LOCK};`,
        // Work whose promise nothing can settle, and a full collection while it runs: that
        // chain is garbage, and the lock's connection with it unless the lock keeps it (a
        // connection better-sqlite3 collects is closed, and lets go of the lock).
        `const work = () => new Promise(() => setTimeout(() => { globalThis.gc(); setTimeout(() => console.log('holding'), 50); }, 0));`,
        `setInterval(() => {}, 1000);`,
        `await new SqliteRunLock(${JSON.stringify(storePath)}).whileHolding('replay', 'replay of everything', work);`,
      ].join('\n');
      holder = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Fails at once, rather than at the timeout, should the holder end before holding.
      const said = await Promise.race([
        once(holder.stdout!, 'data').then(([chunk]) => String(chunk)),
        once(holder, 'exit').then(([code]) => `the holder exited (code ${code})`),
      ]);
      expect(said).toContain('holding');

      const lock = new SqliteRunLock(storePath);
      expect(await lock.whileHolding('replay', 'a second replay', async () => 'ran')).toEqual({
        ran: false,
        heldBy: expect.stringContaining(`pid ${holder.pid}: replay of everything`),
      });
      // Killed mid-work: the operating system releases its lock with the process.
      holder.kill('SIGKILL');
      await once(holder, 'exit');
      expect(await lock.whileHolding('replay', 'a second replay', async () => 'ran')).toEqual({ ran: true, result: 'ran' });
    }, 30_000);
  });
});
