import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's start-up chatter: a line per module initialised and per route mapped (a hundred
 * lines). At debug level, so that the start-up console at info shows what a person reads:
 * where the engine listens and whether close of business is scheduled.
 */
const START_UP_DETAIL = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Lets Nest's own messages (module start-up, route mapping) go out as the same JSON lines. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    const context = this.context(rest);
    if (context.context !== undefined && START_UP_DETAIL.has(context.context)) this.logger.debug(context, String(message));
    else this.logger.info(context, String(message));
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
