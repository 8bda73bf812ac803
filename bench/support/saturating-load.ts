import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './http-load.js';
import { latencyPercentiles } from './latency-percentiles.js';
import type { OutgoingRequest } from './outgoing-request.js';

/**
 * autocannon, closed loop: each connection sends its next request as soon as the previous
 * one is answered, so the server runs as fast as it can for the whole time.
 */
export function saturatingLoad(spec: LoadSpec, next: () => OutgoingRequest): Promise<LoadResult> {
  const times: number[] = [];
  let firstRefusal: LoadResult['firstRefusal'];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        headers: { 'content-type': 'application/json', ...(spec.authorization && { authorization: spec.authorization }) },
        requests: [
          {
            setupRequest: (request) => {
              const { method, path, body } = next();
              request.method = method;
              request.path = path;
              if (body !== undefined) request.body = body;
              return request;
            },
            onResponse: (status, body) => {
              if ((status < 200 || status > 299) && !firstRefusal) firstRefusal = { status, body: body.slice(0, 2_000) };
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const answered = result['2xx'];
        resolve({
          seconds: result.duration,
          answered,
          answeredPerSecond: answered / result.duration,
          latencyMs: latencyPercentiles(times),
          refused: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, Number(count ?? 0)])),
          ...(firstRefusal && { firstRefusal }),
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      if (status >= 200 && status <= 299) times.push(responseTime);
    });
  });
}
