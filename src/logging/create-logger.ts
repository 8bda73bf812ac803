import { pino, type Logger } from 'pino';
import type { Level } from 'pino';

/**
 * One JSON line per log record on stdout (stderr for the CLI, whose stdout is its
 * result); the same logger serves Nest and Fastify.
 */
export function createLogger(config: { readonly LOG_LEVEL: Level | 'silent' }, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: 'arrears' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Secrets and personal data must never reach the log. Nothing logs bodies or events
      // today; should a record ever carry a borrower's details, these paths are censored.
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        ...['borrower', '*.borrower', '*.*.borrower'].flatMap((at) => [`${at}.name`, `${at}.phone`, `${at}.identityDocument`]),
      ],
    },
    destination ?? pino.destination(1),
  );
}
