import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/** Lets Nest's own messages (module start-up, route mapping) go out as the same JSON lines. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    this.logger.info(this.context(rest), String(message));
  }
  error(message: unknown, ...rest: unknown[]) {
    const [stack] = rest;
    this.logger.error({ ...this.context(rest.slice(1)), ...(typeof stack === 'string' && { stack }) }, String(message));
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.logger.warn(this.context(rest), String(message));
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.logger.debug(this.context(rest), String(message));
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.logger.trace(this.context(rest), String(message));
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.logger.fatal(this.context(rest), String(message));
  }

  /** Nest passes the context (a class name) as the last argument. */
  private context(rest: unknown[]): { context?: string } {
    const last = rest.at(-1);
    return typeof last === 'string' ? { context: last } : {};
  }
}
