/** The engine's query API as the dashboard reads it, with the viewer key the operator entered. */

const KEY_STORAGE = 'arrears.viewerKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

function headers(): HeadersInit {
  return { authorization: `Bearer ${storedKey() ?? ''}` };
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: headers() });
  const body = (await response.json()) as unknown;
  if (!response.ok) {
    const { code = 'HTTP', message = response.statusText } = body as { code?: string; message?: string };
    throw new ApiError(response.status, code, message);
  }
  return body as T;
}

/**
 * Follows the server-sent events of /dashboard/live, calling `onEvent` for each. fetch
 * rather than EventSource, which cannot send the Authorization header; reconnects after a
 * drop, and stops when `signal` aborts.
 */
export async function followLive(onEvent: (type: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const response = await fetch('/dashboard/live', { headers: { ...headers(), accept: 'text/event-stream' }, signal });
      if (!response.ok || !response.body) throw new ApiError(response.status, 'LIVE', 'live updates refused');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
          onEvent(type, data ? (JSON.parse(data) as unknown) : null);
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
