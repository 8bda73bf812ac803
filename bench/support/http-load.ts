/**
 * HTTP load for a fixed time, generated in a process of its own (http-load-generator.ts) so
 * that it shares an event loop with neither the server under test nor the benchmark: as
 * fast as the server answers (autocannon, saturating-load.ts), or at an even rate
 * (paced-load.ts). What to send is described as data: functions cannot cross into that process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killOnExit } from './child-processes.js';

const GENERATOR = fileURLToPath(new URL('./http-load-generator.js', import.meta.url));

/** What the requests are: each one of them different, so the generator builds them as it goes. */
export type Traffic =
  /** POST /loans/{loanId}/payments round-robin over the loans, every payment with an id of its own. */
  | {
      readonly kind: 'payments';
      readonly loans: number;
      /** Unique across the whole run: a payment id seen before would be answered as a repeat. */
      readonly paymentIdPrefix: string;
      readonly amount: string;
      readonly receivedOn: string;
    }
  /** GET of `path`; a `{loanId}` in it goes round-robin over the loans. */
  | { readonly kind: 'queries'; readonly path: string; readonly loans: number };

export interface LoadSpec {
  readonly url: string;
  readonly authorization?: string;
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second over all connections, evenly spaced; when absent, as many as the server answers. */
  readonly overallRate?: number;
  /** At an even rate: the fewest requests sent before any is counted (paced-load.ts's LEAD_IN_REQUESTS when absent). */
  readonly leadInRequests?: number;
  readonly traffic: Traffic;
}

export interface LatencyMs {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface LoadResult {
  readonly seconds: number;
  /** 2xx responses. */
  readonly answered: number;
  readonly answeredPerSecond: number;
  /** Of every 2xx response, from the request's sending to the response's end. */
  readonly latencyMs: LatencyMs;
  /** Non-2xx responses, connection errors and timeouts: a benchmark run must have none. */
  readonly refused: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly firstRefusal?: { readonly status: number; readonly body: string };
}

export function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GENERATOR, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    killOnExit(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`the load generator failed (code ${code}, signal ${signal}): ${stderr || stdout}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult);
      } catch (error) {
        reject(new Error(`the load generator printed no result: ${(error as Error).message}\n${stdout}\n${stderr}`));
      }
    });
  });
}
