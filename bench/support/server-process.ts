/**
 * A server under load in a process of its own, so that neither the load generator nor the
 * benchmark's bookkeeping shares its event loop. Ready once `GET /health` answers 200.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killOnExit } from './child-processes.js';

const STARTUP_TIMEOUT_MS = 60_000;
const POLL_MS = 50;
/** What a crashed server said last: enough to see why, not the whole log. */
const OUTPUT_KEPT_CHARS = 8_000;

export class ServerProcess {
  private output = '';
  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    // BENCH_SERVER_LOG_DIR: every word of each server's output in <dir>/<name>.log (e.g. with
    // BENCH_ENGINE_NODE_FLAGS=--trace-gc, to see the engine's pauses beside its latencies).
    const logDir = process.env['BENCH_SERVER_LOG_DIR'];
    const log = logDir ? createWriteStream(join(logDir, `${name.replace(/[^a-z0-9]+/gi, '-')}.log`)) : undefined;
    const keep = (chunk: Buffer) => {
      log?.write(chunk);
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_KEPT_CHARS);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
  }

  /**
   * Starts `node [nodeFlags] script` on a free loopback port (given as PORT and HOST). The
   * port is picked here rather than with PORT=0 because the engine only logs its address at
   * info level, and the benchmark runs it at warn: Fastify logs every request at info.
   */
  static async start(name: string, script: string, env: Record<string, string>, nodeFlags: readonly string[] = []): Promise<ServerProcess> {
    const port = await freeLoopbackPort();
    const child = spawn(process.execPath, [...nodeFlags, script], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killOnExit(child);
    const server = new ServerProcess(name, `http://127.0.0.1:${port}`, child);
    await server.waitUntilHealthy();
    return server;
  }

  /** The server's process id (e.g. to read the CPU time it used from /proc). */
  get pid(): number {
    return this.child.pid!;
  }

  /** Throws, with the server's last words, when it is no longer running. */
  assertRunning(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      throw new Error(`${this.name} exited (code ${this.child.exitCode}, signal ${this.child.signalCode}); it said:\n${this.output}`);
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }

  private async waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      this.assertRunning();
      try {
        if ((await fetch(`${this.url}/health`)).ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`${this.name} did not answer ${this.url}/health within ${STARTUP_TIMEOUT_MS / 1000} s; it said:\n${this.output}`);
      await sleep(POLL_MS);
    }
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
