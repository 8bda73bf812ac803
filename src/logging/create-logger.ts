import { pino, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';

/** One JSON line per log record on stdout; the same logger serves Nest and Fastify. */
export function createLogger(config: Pick<AppConfig, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'arrears' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Secrets and personal data must never reach the log.
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  });
}
