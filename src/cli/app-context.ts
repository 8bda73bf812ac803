import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';

/**
 * Opens the whole Nest application (every module, the stores) for a command that needs it,
 * runs the command and closes it. Loaded with a dynamic import, and loading the app module
 * itself the same way, so a command that touches no data (`--help`, `keys`) starts without it.
 */
export async function withAppContext<T>(config: AppConfig, logger: Logger, run: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  await import('reflect-metadata');
  const [{ NestFactory }, { AppModule }, { PinoNestLogger }] = await Promise.all([
    import('@nestjs/core'),
    import('../app/app.module.js'),
    import('../logging/pino-nest-logger.js'),
  ]);
  /** A failure to start is reported once, in one line, by the CLI (src/cli.ts): Nest's own log line of it is left out. */
  class CliNestLogger extends PinoNestLogger {
    override error(message: unknown, ...rest: unknown[]) {
      if (rest.at(-1) !== 'ExceptionHandler') super.error(message, ...rest);
    }
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, logger), { logger: new CliNestLogger(logger), abortOnError: false });
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}
