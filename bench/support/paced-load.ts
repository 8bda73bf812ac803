import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadResult, LoadSpec } from './http-load.js';
import { latencyPercentiles } from './latency-percentiles.js';
import type { OutgoingRequest } from './outgoing-request.js';

const TIMEOUT_MS = 10_000;
/**
 * Sent at the rate, answered, and not counted: the connections get opened and this process's
 * code compiled first (without it, a fresh generator's first second held most of the p99).
 */
const LEAD_IN_SECONDS = 1;
const REFUSAL_BODY_CHARS = 2_000;

/**
 * Requests at an even rate, open loop, over at most `connections` keep-alive connections.
 *
 * Not autocannon's `overallRate`: that lets each connection send back to back until it has
 * used its quota for the second, then idle until the next one, so "half the rate" is
 * saturation for half of each second (in this benchmark, its latencies at half rate were
 * those at saturation). Here request i is sent at start + i / rate whether or not earlier ones
 * were answered. A request's time runs from then, waiting for a free connection included,
 * so a server falling behind shows in the latencies; only the timer's lateness (under a
 * millisecond, as the sends happen in the next timer tick) is left out.
 */
export function pacedLoad(spec: LoadSpec & { readonly overallRate: number }, next: () => OutgoingRequest): Promise<LoadResult> {
  const { hostname, port } = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const headers = { 'content-type': 'application/json', ...(spec.authorization && { authorization: spec.authorization }) };
  const leadIn = Math.round(spec.overallRate * LEAD_IN_SECONDS);
  const total = leadIn + Math.round(spec.overallRate * spec.seconds);
  const intervalMs = 1000 / spec.overallRate;
  const times: number[] = [];
  const statusCodes: Record<string, number> = {};
  let firstRefusal: LoadResult['firstRefusal'];
  let answered = 0;
  let refused = 0;
  let errors = 0;
  let timeouts = 0;
  let sent = 0;
  let settled = 0;

  return new Promise((resolve) => {
    const startedAt = performance.now();
    let measuredFrom = startedAt;
    const finishIfDone = () => {
      if (sent < total || settled < sent) return;
      agent.destroy();
      resolve({
        seconds: (performance.now() - measuredFrom) / 1000,
        answered,
        // Per second of the offered schedule: the rate the server kept up with.
        answeredPerSecond: answered / spec.seconds,
        latencyMs: latencyPercentiles(times),
        refused,
        errors,
        timeouts,
        statusCodes,
        ...(firstRefusal && { firstRefusal }),
      });
    };
    const send = ({ method, path, body }: OutgoingRequest, counted: boolean) => {
      const sentAt = performance.now();
      let done = false;
      const settle = () => {
        if (done) return false;
        done = true;
        settled++;
        return true;
      };
      const outgoing = request({ agent, hostname, port, method, path, headers }, (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (!settle()) return;
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          if (status >= 200 && status <= 299) {
            if (counted) {
              answered++;
              times.push(performance.now() - sentAt);
            }
          } else {
            // A refusal fails the run, lead-in or not.
            refused++;
            firstRefusal ??= { status, body: Buffer.concat(chunks).toString('utf8').slice(0, REFUSAL_BODY_CHARS) };
          }
          finishIfDone();
        });
      });
      outgoing.setTimeout(TIMEOUT_MS, () => {
        timeouts++;
        outgoing.destroy(new Error('timed out'));
      });
      outgoing.on('error', () => {
        if (!settle()) return;
        errors++;
        finishIfDone();
      });
      outgoing.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
      while (sent < due) {
        if (sent === leadIn) measuredFrom = performance.now();
        send(next(), sent >= leadIn);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, startedAt + sent * intervalMs - performance.now()));
      else finishIfDone();
    };
    tick();
  });
}
