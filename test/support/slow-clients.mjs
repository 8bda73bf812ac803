// Clients that start a request and never finish it, run as a process of their own (plain
// JavaScript, outside jest) so that their sockets cost the process measuring the engine
// nothing: `node test/support/slow-clients.mjs <base url> <json list of kinds> [batch]`.
// Each kind is { count, head, body?, endHeaders? }: `count` sockets each write `head` (the
// request line and headers, lines ending \r\n), the blank line ending the headers only if
// `endHeaders` (default true), then `body`; the kinds' sockets are opened in turn, `batch`
// at a time. Results are in that order.
// Prints one JSON line when every socket is connected and its request written
// ({ "event": "connected" }), one when the first socket closes ({ "event": "first closed" }),
// and one when every socket has closed ({ "event": "done",
// "results": [{ status, code, answeredAfterMs, closedAfterMs, byPeer }] }), times counted
// from each request's writing. Sockets the engine has not closed after 60 s are closed here
// (byPeer false).
import { connect } from 'node:net';

const [url, kindsJson, batchText = '50'] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const kinds = JSON.parse(kindsJson);
const batch = Number(batchText);
const requests = [];
for (let i = 0; requests.length < kinds.reduce((sum, kind) => sum + kind.count, 0); i++) {
  for (const kind of kinds) if (i < kind.count) requests.push(kind);
}
const GIVE_UP_MS = 60_000;
let anyClosed = false;

function open({ head, body = '', endHeaders = true }) {
  return new Promise((connected, failed) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const result = { status: null, code: null, answeredAfterMs: null, closedAfterMs: null, byPeer: true };
    let writtenAt = 0;
    let received = '';
    socket.setEncoding('latin1');
    socket.on('error', (error) => (writtenAt === 0 ? failed(error) : undefined));
    socket.on('data', (chunk) => {
      received += chunk;
      if (result.status !== null) return;
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(received.slice(0, end))?.[1] ?? 0);
      if (received.length - end - 4 < length) return;
      result.status = Number(received.split(' ', 2)[1]);
      result.answeredAfterMs = performance.now() - writtenAt;
      try {
        result.code = JSON.parse(received.slice(end + 4, end + 4 + length)).code ?? null;
      } catch {
        result.code = null;
      }
    });
    const closed = new Promise((done) =>
      socket.once('close', () => {
        result.closedAfterMs = performance.now() - writtenAt;
        if (!anyClosed) process.stdout.write(`${JSON.stringify({ event: 'first closed' })}\n`);
        anyClosed = true;
        done(result);
      }),
    );
    socket.once('connect', () => {
      writtenAt = performance.now();
      socket.write(`${head}\r\n${endHeaders ? `\r\n${body}` : ''}`);
      const giveUp = setTimeout(() => {
        result.byPeer = false;
        socket.destroy();
      }, GIVE_UP_MS);
      // Wrapped: resolving with the promise itself would wait for it, i.e. for the socket's closing.
      connected({ closed: closed.finally(() => clearTimeout(giveUp)) });
    });
  });
}

const closings = [];
for (let first = 0; first < requests.length; first += batch) {
  closings.push(...(await Promise.all(requests.slice(first, first + batch).map(open))));
}
process.stdout.write(`${JSON.stringify({ event: 'connected' })}\n`);
const results = await Promise.all(closings.map(({ closed }) => closed));
process.stdout.write(`${JSON.stringify({ event: 'done', results })}\n`);
