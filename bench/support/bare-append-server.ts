/**
 * The HTTP benchmark's baseline, run as a process of its own: a bare node:http server that
 * turns each POST into one better-sqlite3 INSERT of (stream, revision, type, JSON data) and
 * answers 201. Its file is opened with the engine's own pragmas (openSqliteDatabase: WAL,
 * the given synchronous), so each request pays the same disk sync as an engine command.
 * What the engine adds on top (routing, auth, validation, loading and deciding the loan,
 * the hash chain, idempotency, projections) is what the ratio puts a number on.
 *
 *   PORT, HOST, BASELINE_DATABASE_PATH, SQLITE_SYNCHRONOUS
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { openSqliteDatabase, type SqliteSynchronous } from '../../src/infrastructure/sqlite/open-sqlite-database.js';

const db = openSqliteDatabase(process.env['BASELINE_DATABASE_PATH']!, (process.env['SQLITE_SYNCHRONOUS'] ?? 'FULL') as SqliteSynchronous);
db.exec(`CREATE TABLE IF NOT EXISTS appended (
  position INTEGER PRIMARY KEY,
  stream   TEXT NOT NULL,
  revision INTEGER NOT NULL,
  type     TEXT NOT NULL,
  data     TEXT NOT NULL,
  UNIQUE (stream, revision)
)`);
const insert = db.prepare<[string, number, string, string]>('INSERT INTO appended (stream, revision, type, data) VALUES (?, ?, ?, ?)');
// The only writer: it may trust its own count of each stream's revisions.
const lastRevisions = new Map<string, number>();

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function append(request: IncomingMessage, response: ServerResponse, body: string): void {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    answer(response, 400, { code: 'REQUEST.INVALID', message: 'body is not JSON' });
    return;
  }
  const stream = `loan-${request.url!.split('/')[2] ?? ''}`;
  const revision = (lastRevisions.get(stream) ?? -1) + 1;
  const { lastInsertRowid } = insert.run(stream, revision, 'PaymentReceived', JSON.stringify(data));
  lastRevisions.set(stream, revision);
  answer(response, 201, { stream, revision, position: Number(lastInsertRowid) });
}

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health') return answer(response, 200, { status: 'ok' });
  if (request.method !== 'POST') return answer(response, 404, { code: 'NOT_FOUND' });
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => append(request, response, Buffer.concat(chunks).toString('utf8')));
});
// Like the engine (Fastify's default), keep idle connections open between requests.
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env['PORT']), process.env['HOST'] ?? '127.0.0.1');

process.once('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeAllConnections();
});
