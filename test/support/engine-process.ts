import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_API_KEYS } from './api-keys.js';

const MAIN = resolve('dist/src/main.js');

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** The engine as production runs it: `node dist/src/main.js` in a child process (built by `npm test`). */
export class EngineProcess {
  readonly logs: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        this.logs.push({ level: 30, msg: line });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  }

  static spawn(env: Record<string, string>, cwd?: string): EngineProcess {
    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    return new EngineProcess(
      spawn(process.execPath, [MAIN], {
        cwd,
        env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', COB_DAILY_AT: 'off', API_KEYS: TEST_API_KEYS, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  /** Starts the engine and resolves with its base URL once it listens. */
  static async start(env: Record<string, string>, cwd?: string): Promise<{ engine: EngineProcess; url: string }> {
    const engine = EngineProcess.spawn(env, cwd);
    const url = await engine.waitForLog('Arrears is listening').then((line) => line['url'] as string);
    return { engine, url };
  }

  async waitForLog(msg: string, timeoutMs = 15_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find((line) => line.msg === msg);
      if (found) return found;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no "${msg}" log line; stderr: ${this.stderr}; logs: ${JSON.stringify(this.logs.slice(-5))}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM') {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
