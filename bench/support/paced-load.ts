import { type Socket, connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { LoadResult, LoadSpec } from './http-load.js';
import { latencyPercentiles } from './latency-percentiles.js';
import type { OutgoingRequest } from './outgoing-request.js';

const TIMEOUT_MS = 10_000;
/**
 * Sent at the rate, answered, and not counted: the connections get opened and this process's
 * code compiled first (without it, a fresh generator's first second held most of the p99).
 * At least LEAD_IN_SECONDS and at least LEAD_IN_REQUESTS: some 16,500 requests after this
 * process starts, whatever the rate, it stalls once, and the requests due meanwhile waited up
 * to 10–45 ms. It is V8 optimising this process's code: with its optimising compiler off
 * (--no-turbofan, --no-opt) the stall came in 2 runs of 8 instead of every run, and smaller.
 * Against the bare node:http server it came at the same request count (at 8,000, 10,000 and
 * 12,000 req/s alike) and drained within a few ms; the engine, with more to do per request,
 * drained it more slowly, and that one stall was its status p99 (8–130 ms where the
 * same runs past it read 1–2 ms).
 */
const LEAD_IN_SECONDS = 1;
export const LEAD_IN_REQUESTS = 30_000;
const REFUSAL_BODY_CHARS = 2_000;
const HEADERS_END = Buffer.from('\r\n\r\n');

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
 *
 * HTTP/1.1 is written and read here on plain sockets, not with node:http's client: that
 * spends ~50 µs of this process's CPU per request, so that above ~10,000 requests a second
 * the generator, not the server, made the tail (the floor, a server doing nothing, had a
 * p99 of 18-41 ms at 20,000 a second). The servers measured answer with a Content-Length
 * (or a 204 or 304, which have no body); any other answer counts as an error.
 */
export function pacedLoad(spec: LoadSpec & { readonly overallRate: number }, next: () => OutgoingRequest): Promise<LoadResult> {
  const { hostname, port, host } = new URL(spec.url);
  const fixedHeaders =
    `Host: ${host}\r\nContent-Type: application/json\r\n` + (spec.authorization ? `Authorization: ${spec.authorization}\r\n` : '');
  const leadIn = Math.max(spec.leadInRequests ?? LEAD_IN_REQUESTS, Math.round(spec.overallRate * LEAD_IN_SECONDS));
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

  interface Sending {
    readonly bytes: Buffer;
    readonly sentAt: number;
    readonly counted: boolean;
  }
  /** A keep-alive connection: one request at a time, its response read as it arrives. */
  interface Connection {
    socket: Socket;
    inFlight: Sending | undefined;
    timer: NodeJS.Timeout | undefined;
    received: Buffer;
  }
  const waiting: Sending[] = [];
  const idle: Connection[] = [];

  return new Promise((resolve) => {
    const startedAt = performance.now();
    let measuredFrom = startedAt;
    const connections: Connection[] = [];
    let done = false;
    const finishIfDone = () => {
      if (done || sent < total || settled < sent) return;
      done = true;
      for (const connection of connections) connection.socket.destroy();
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

    const settle = (connection: Connection) => {
      clearTimeout(connection.timer);
      connection.inFlight = undefined;
      connection.received = Buffer.alloc(0);
      settled++;
      const following = waiting.shift();
      if (following) send(connection, following);
      else idle.push(connection);
      finishIfDone();
    };
    /**
     * A connection that failed, timed out or was closed: its request (if any) counts as
     * such, and a new socket takes its place; an idle one the server closed is only replaced.
     */
    const replace = (connection: Connection, failure: 'error' | 'timeout') => {
      connection.socket.destroy();
      connection.socket = open(connection);
      if (!connection.inFlight) return;
      if (failure === 'timeout') timeouts++;
      else errors++;
      settle(connection);
    };
    const send = (connection: Connection, sending: Sending) => {
      connection.inFlight = sending;
      connection.timer = setTimeout(() => replace(connection, 'timeout'), TIMEOUT_MS);
      connection.socket.write(sending.bytes);
    };
    /** Reads what has arrived; once a whole response is there, it is counted and the connection freed. */
    const onData = (connection: Connection, chunk: Buffer) => {
      const sending = connection.inFlight;
      if (!sending) return;
      connection.received = connection.received.length === 0 ? chunk : Buffer.concat([connection.received, chunk]);
      const received = connection.received;
      const headersEnd = received.indexOf(HEADERS_END);
      if (headersEnd < 0) return;
      const head = received.toString('latin1', 0, headersEnd);
      const status = Number(head.slice(9, 12));
      // 204 and 304 have no body (RFC 9110 §6.4.1); any other answer here says how long its body is.
      const length = status === 204 || status === 304 ? 0 : Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? NaN);
      if (Number.isNaN(length)) {
        // Chunked or close-delimited: not what the measured servers send; a failure (an error), not a guess.
        firstRefusal ??= { status: 0, body: `a response without Content-Length: ${head.slice(0, REFUSAL_BODY_CHARS)}` };
        replace(connection, 'error');
        return;
      }
      const bodyStart = headersEnd + HEADERS_END.length;
      if (received.length < bodyStart + length) return;
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      if (status >= 200 && status <= 299) {
        if (sending.counted) {
          answered++;
          times.push(performance.now() - sending.sentAt);
        }
      } else {
        // A refusal fails the run, lead-in or not.
        refused++;
        firstRefusal ??= { status, body: received.toString('utf8', bodyStart, bodyStart + length).slice(0, REFUSAL_BODY_CHARS) };
      }
      settle(connection);
    };
    const open = (connection: Connection): Socket => {
      const socket = connect({ host: hostname, port: Number(port), noDelay: true });
      // A replaced socket's last events are about a socket no longer in use.
      const current = () => connection.socket === socket && !done;
      socket.on('data', (chunk: Buffer) => current() && onData(connection, chunk));
      socket.on('error', () => current() && replace(connection, 'error'));
      socket.on('close', () => current() && replace(connection, 'error'));
      return socket;
    };
    for (let index = 0; index < spec.connections; index++) {
      const connection: Connection = { socket: undefined as unknown as Socket, inFlight: undefined, timer: undefined, received: Buffer.alloc(0) };
      connection.socket = open(connection);
      connections.push(connection);
      idle.push(connection);
    }

    const bytesOf = ({ method, path, body }: OutgoingRequest) =>
      Buffer.from(
        `${method} ${path} HTTP/1.1\r\n${fixedHeaders}` + (body === undefined ? '\r\n' : `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`),
      );
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
      while (sent < due) {
        if (sent === leadIn) measuredFrom = performance.now();
        const sending = { bytes: bytesOf(next()), sentAt: performance.now(), counted: sent >= leadIn };
        sent++;
        const connection = idle.pop();
        if (connection) send(connection, sending);
        else waiting.push(sending);
      }
      if (sent < total) setTimeout(tick, Math.max(0, startedAt + sent * intervalMs - performance.now()));
      else finishIfDone();
    };
    tick();
  });
}
