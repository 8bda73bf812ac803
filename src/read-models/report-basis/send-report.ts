import type { FastifyReply } from 'fastify';
import type { RenderedReport } from './rendered-report.js';

export const CONTENT_SHA256_HEADER = 'x-content-sha256';

/** A rendered report as the reply's body, with its content type and its SHA-256 in a header. */
export function sendReport(reply: FastifyReply, report: RenderedReport): string {
  reply.header('content-type', report.contentType);
  reply.header(CONTENT_SHA256_HEADER, report.sha256);
  return report.body;
}
