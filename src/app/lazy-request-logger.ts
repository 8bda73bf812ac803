import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

/**
 * Fastify's childLoggerFactory: each request's logger, bound to its request id, made only
 * when the request writes a record. Fastify makes a child for every request, and pino runs
 * a child's bindings through the redaction paths (create-logger.ts) as it makes it: ~1.5% of
 * an overdue-status read's CPU, for requests that mostly log nothing (Fastify logs requests
 * at info; production runs at info or warn, the benchmark at warn). A record written is the
 * same as from pino's own child: same bindings, same options.
 */
export function lazyRequestLogger(this: unknown, logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  // A route with a log level of its own logs by the child's level, not the parent's: made at once.
  if (options.level !== undefined) return logger.child(bindings, options);
  return new LazyRequestLogger(logger as unknown as Logger, bindings, options) as unknown as FastifyBaseLogger;
}

class LazyRequestLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.parent.level;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.write('error', args);
  }

  warn(...args: unknown[]): void {
    this.write('warn', args);
  }

  info(...args: unknown[]): void {
    this.write('info', args);
  }

  debug(...args: unknown[]): void {
    this.write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.logger().child(bindings, options);
  }

  isLevelEnabled(level: string): boolean {
    return this.parent.isLevelEnabled(level);
  }

  private write(level: Level, args: unknown[]): void {
    if (!this.parent.isLevelEnabled(level)) return;
    (this.logger()[level] as (...written: unknown[]) => void)(...args);
  }

  private logger(): Logger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }
}
