import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { bearer } from '../support/api-keys.js';
import { EngineProcess } from '../support/engine-process.js';
import { rawRequest } from '../support/raw-http.js';

/**
 * The built engine (`npm run build` first) as a process, against 1,000 clients that start a
 * request and never finish it: it must keep answering everyone else at once, and close what
 * they hold within its REQUEST_TIMEOUT_MS. The slow clients are a process of their own
 * (test/support/slow-clients.mjs), so their sockets do not slow the process measuring the
 * answers; the engine and that process each need about 1,000 more file descriptors than usual.
 */
const SOCKETS = 1_000;
/** Short, for a short test, but long enough that all 1,000 are connected before the first times out on a slow machine. */
const REQUEST_TIMEOUT_MS = 3_000;
/**
 * What "at once" means for /health and an authorised read while the slow clients are
 * connected: 95 % of the samples within 100 ms, and none anywhere near a stall. Every sample
 * within 100 ms held in about half the runs here, not all: on this shared 2-core machine a
 * sample sometimes took 100–250 ms with no slow client connected at all, so a rare outlier
 * may be the machine's. The test prints p50, p95, max and the samples over 100 ms, with an
 * idle baseline, so that a drift shows before it fails.
 */
const ANSWERED_WITHIN_MS = 100;
const MOSTLY = 0.95;
const STALLED_MS = 1_000;
/** Node looks for late requests every tenth of the timeout; a busy shared machine may add some scheduling. */
const CLOSED_WITHIN_MS = REQUEST_TIMEOUT_MS + 1_000;
const FILE_DESCRIPTORS_NEEDED = SOCKETS + 500;
const SLOW_CLIENTS = resolve('test/support/slow-clients.mjs');

const slowBody = (authorization?: string) =>
  ['POST /loans/L-1/payments HTTP/1.1', 'Host: arrears', 'Content-Type: application/json', 'Content-Length: 100', ...(authorization ? [`Authorization: ${authorization}`] : [])].join('\r\n');
const slowHeaders = ['GET /overdue/summary HTTP/1.1', 'Host: arrears', 'X-Still-Typing: 1'].join('\r\n');

describe(`the engine with ${SOCKETS} slow clients connected`, () => {
  let folder: string;
  let engine: EngineProcess;
  let url: string;

  beforeAll(async () => {
    const softLimit = Number(execFileSync('sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).trim());
    const hardLimit = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
    if (softLimit < FILE_DESCRIPTORS_NEEDED) {
      throw new Error(`ulimit -n is ${softLimit} (hard limit ${hardLimit}): the engine and the slow clients need ${FILE_DESCRIPTORS_NEEDED} each; raise it (ulimit -n ${FILE_DESCRIPTORS_NEEDED}) before running jest`);
    }
    folder = mkdtempSync(join(tmpdir(), 'arrears-slow-clients-'));
    ({ engine, url } = await EngineProcess.start({
      SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'),
      SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite'),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    }));
    // Warm: the first requests of a route compile code that the measured ones should not wait for.
    for (let i = 0; i < 20; i++) await Promise.all([timed(`${url}/health`), timed(`${url}/overdue/summary`, bearer('viewer'))]);
    const idle = sample(url);
    await idle.atLeast(1_000, 20);
    for (const [what, tookMs] of bySample(await idle.stop())) report(`idle baseline, ${what}`, tookMs, { samples: true });
  }, 60_000);
  afterAll(async () => {
    await engine?.stop('SIGKILL');
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  // Judged as the samples below are: a single 117 ms answer among 1-2 ms ones once failed CI on
  // a "every one within 100 ms" rule. Waiting for the body would answer none before the timeout.
  it(`answers a keyless request whose body never comes 401 at once (${MOSTLY * 100} % within ${ANSWERED_WITHIN_MS} ms, none stalled), not when its body would be complete`, async () => {
    const answeredAfter: number[] = [];
    for (let i = 0; i < 20; i++) {
      const request = await rawRequest(url, slowBody(), { body: '{' });
      const response = await request.response;
      expect(response.status).toBe(401);
      answeredAfter.push(response.afterMs);
      expect((await request.closed).byPeer).toBe(true);
    }
    report('one keyless slow body at a time: 401 after', answeredAfter);
    expectMostlyAtOnce('one keyless slow body at a time', answeredAfter);
  });

  it(`answers ${SOCKETS} keyless requests whose body never comes 401 and closes them; /health and a read answer within ${ANSWERED_WITHIN_MS} ms meanwhile (${MOSTLY * 100} % of samples, none stalled)`, async () => {
    const sampler = sample(url);
    const clients = slowClients(url, [{ count: SOCKETS, head: slowBody(), body: '{' }]);
    const results = await clients.done;
    await sampler.atLeast(1_000, 20);
    const samples = await sampler.stop();

    // 401, not the 408 of a request timeout: no body was waited for. The time each took is how
    // long it queued behind the others, all sent within a second or so.
    expect(count(results.map((r) => `${r.status} ${r.code}`))).toEqual({ '401 AUTH.UNAUTHENTICATED': SOCKETS });
    report(`${SOCKETS} keyless slow bodies at once: 401 after`, results.map((r) => r.answeredAfterMs!));
    report(`${SOCKETS} keyless slow bodies at once: closed by the engine after`, results.map((r) => r.closedAfterMs));
    expect(results.filter((r) => !r.byPeer)).toEqual([]);
    expect(Math.max(...results.map((r) => r.closedAfterMs))).toBeLessThan(CLOSED_WITHIN_MS);
    expectAnsweredAtOnce(samples);
  }, 60_000);

  it(`holds ${SOCKETS} requests that never arrive (keyless headers that never end, keyed bodies that never come) no longer than REQUEST_TIMEOUT_MS; /health and a read answer within ${ANSWERED_WITHIN_MS} ms meanwhile (${MOSTLY * 100} % of samples, none stalled)`, async () => {
    const sampler = sample(url);
    const clients = slowClients(url, [
      { count: SOCKETS / 2, head: slowHeaders, endHeaders: false },
      { count: SOCKETS / 2, head: slowBody(bearer('servicer').authorization), body: '{' },
    ]);
    const [connectedAt, firstClosedAt] = await Promise.all([clients.connected, clients.firstClosed]);
    const results = await clients.done;
    const samples = await sampler.stop();
    const whileAllHeld = samples.filter((s) => s.at >= connectedAt && s.at + s.tookMs <= firstClosedAt);

    expect(count(results.map((r) => `${r.status} ${r.code}`))).toEqual({ '408 REQUEST.TIMEOUT': SOCKETS });
    report(`${SOCKETS} held requests: closed by the engine after`, results.map((r) => r.closedAfterMs));
    report(`samples while all ${SOCKETS} were held`, whileAllHeld.map((s) => s.tookMs), { samples: true });
    expect(results.filter((r) => !r.byPeer)).toEqual([]);
    expect(Math.min(...results.map((r) => r.closedAfterMs))).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(Math.max(...results.map((r) => r.closedAfterMs))).toBeLessThan(CLOSED_WITHIN_MS);
    expect(whileAllHeld.length).toBeGreaterThanOrEqual(10);
    expectAnsweredAtOnce(samples);
  }, 60_000);
});

interface SlowClientResult {
  status: number | null;
  code: string | null;
  answeredAfterMs: number | null;
  closedAfterMs: number;
  byPeer: boolean;
}

/**
 * Starts test/support/slow-clients.mjs: `connected` resolves (with this process's clock) once
 * all are, `firstClosed` once the first has been closed, `done` with what became of each.
 */
function slowClients(url: string, kinds: readonly { count: number; head: string; body?: string; endHeaders?: boolean }[]) {
  const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
  const child = spawn(process.execPath, [SLOW_CLIENTS, url, JSON.stringify(kinds)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const when = (event: string) => {
    const happened = new Promise<number>((resolveAt, failed) => {
      lines.on('line', (line) => (JSON.parse(line).event === event ? resolveAt(performance.now()) : undefined));
      child.once('exit', (code) => failed(new Error(`slow clients exited (${code}) before "${event}": ${stderr}`)));
    });
    happened.catch(() => {});
    return happened;
  };
  const connected = when('connected');
  const firstClosed = when('first closed');
  const done = new Promise<SlowClientResult[]>((resolveDone, failed) => {
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { event: string; results?: SlowClientResult[] };
      if (message.event === 'done') resolveDone(message.results!);
    });
    child.once('exit', (code) => (code === 0 ? undefined : failed(new Error(`slow clients exited (${code}): ${stderr}`))));
  });
  return { connected, firstClosed, done };
}

interface Sample {
  readonly what: string;
  readonly at: number;
  readonly tookMs: number;
  readonly status: number;
}

async function timed(url: string, headers: Record<string, string> = {}): Promise<{ tookMs: number; status: number }> {
  const startedAt = performance.now();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  return { tookMs: performance.now() - startedAt, status: response.status };
}

/** /health and an authorised read, one after the other, again and again until stopped. */
function sample(url: string) {
  const samples: Sample[] = [];
  const startedAt = performance.now();
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      for (const [what, headers] of [['/health', {}], ['/overdue/summary', bearer('viewer')]] as const) {
        const at = performance.now();
        samples.push({ what, at, ...(await timed(`${url}${what}`, headers)) });
      }
      await new Promise((resolveLater) => setTimeout(resolveLater, 20));
    }
  })();
  return {
    /** Resolves once sampling has gone on for `ms` and taken `n` samples. */
    atLeast: async (ms: number, n: number) => {
      while (performance.now() - startedAt < ms || samples.length < n) await new Promise((resolveLater) => setTimeout(resolveLater, 20));
    },
    stop: async () => {
      stopped = true;
      await running;
      return samples;
    },
  };
}

/** Each route's sample times. */
function bySample(samples: readonly Sample[]): [string, number[]][] {
  return ['/health', '/overdue/summary'].map((what) => [what, samples.filter((s) => s.what === what).map((s) => s.tookMs)]);
}

/** Every sample answered 200; MOSTLY of them within ANSWERED_WITHIN_MS and all within STALLED_MS (the figures show how far off a failure was). */
function expectAnsweredAtOnce(samples: readonly Sample[]): void {
  expect(samples.filter((s) => s.status !== 200)).toEqual([]);
  for (const [what, tookMs] of bySample(samples)) {
    report(`${what} meanwhile`, tookMs, { samples: true });
    expect(tookMs.length).toBeGreaterThanOrEqual(10);
    expectMostlyAtOnce(what, tookMs);
  }
}

/** At least MOSTLY of the times within ANSWERED_WITHIN_MS, and none at STALLED_MS or more. */
function expectMostlyAtOnce(what: string, tookMs: readonly number[]): void {
  const late = tookMs.filter((ms) => ms >= ANSWERED_WITHIN_MS).map(Math.round);
  const outcome = { what, lateShare: late.length / tookMs.length <= 1 - MOSTLY, stalled: Math.max(...tookMs) >= STALLED_MS };
  expect({ ...outcome, late, ...figures(tookMs) }).toEqual({ what, lateShare: true, stalled: false, late, ...figures(tookMs) });
}

function count(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function figures(values: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return { p50: at(0.5), p95: at(0.95), max: Math.round(sorted.at(-1) ?? NaN) };
}

/** The timing figures, printed whether the test passes or not. */
function report(what: string, values: readonly number[], { samples = false } = {}): void {
  const { p50, p95, max } = figures(values);
  const late = values.filter((ms) => ms >= ANSWERED_WITHIN_MS).length;
  const lateText = samples ? `, ${late} of ${values.length} over ${ANSWERED_WITHIN_MS} ms` : ` (n=${values.length})`;
  process.stdout.write(`  ${what}: p50 ${p50} ms, p95 ${p95} ms, max ${max} ms${lateText}\n`);
}
