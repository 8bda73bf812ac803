import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the moment the request was written to the response's last byte. */
  afterMs: number;
}

/** A request written by hand on a socket of its own, and what became of it. */
export interface RawRequest {
  /** The first response on the socket; rejects if the socket closes before one arrives. */
  readonly response: Promise<RawResponse>;
  /** Milliseconds from the moment the request was written to the socket's closing, and whether the engine closed it. */
  readonly closed: Promise<{ afterMs: number; byPeer: boolean }>;
  write(text: string): void;
  destroy(): void;
}

/**
 * Writes `head` (a request line and headers, without the blank line ending them unless
 * `endHeaders`) and then `body`, and then nothing: the socket stays open for whoever closes
 * it first, the engine or `destroy()`. For requests a client sends slowly, or never finishes.
 */
export function rawRequest(url: string, head: string, { body = '', endHeaders = true } = {}): Promise<RawRequest> {
  const { hostname, port } = new URL(url);
  return new Promise((ready, failed) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let writtenAt = 0;
    let received = '';
    let destroyedHere = false;
    let answer: (response: RawResponse) => void = () => {};
    let refuse: (error: Error) => void = () => {};
    const response = new Promise<RawResponse>((resolve, reject) => {
      answer = resolve;
      refuse = reject;
    });
    response.catch(() => {}); // a socket closed unanswered is for the caller to look at, if it asks
    const closed = new Promise<{ afterMs: number; byPeer: boolean }>((resolve) =>
      socket.once('close', () => {
        refuse(new Error(`closed without a response; received: ${JSON.stringify(received)}`));
        resolve({ afterMs: performance.now() - writtenAt, byPeer: !destroyedHere });
      }),
    );
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const parsed = parseResponse(received);
      if (parsed) answer({ ...parsed, afterMs: performance.now() - writtenAt });
    });
    socket.once('error', (error) => (writtenAt === 0 ? failed(error) : undefined));
    socket.once('connect', () => {
      writtenAt = performance.now();
      socket.write(`${head.replace(/\r?\n/g, '\r\n').replace(/(\r\n)*$/, '')}\r\n${endHeaders ? `\r\n${body}` : ''}`);
      ready({
        response,
        closed,
        write: (text) => socket.write(text),
        destroy: () => {
          destroyedHere = true;
          socket.destroy();
        },
      });
    });
  });
}

function parseResponse(text: string): Omit<RawResponse, 'afterMs'> | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  const length = Number(headers['content-length'] ?? 0);
  const body = text.slice(end + 4);
  if (Buffer.byteLength(body, 'latin1') < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.slice(0, length) };
}
