import 'reflect-metadata';
import { InvalidConfigurationError, loadConfig } from './config/app-config.js';
import { createHttpApp } from './app/create-http-app.js';
import { createLogger } from './logging/create-logger.js';

/**
 * Starts the engine on the configured stores. SIGTERM / SIGINT stop it gracefully: no new
 * requests, in-flight requests and projection batches finish, stores close, exit 0.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof InvalidConfigurationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger(config);
  const app = await createHttpApp(config, logger);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    await app.close();
    logger.info('shutdown complete');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));

  await app.listen({ port: config.PORT, host: config.HOST });
  // The one line a person starting the engine looks for: where to go next.
  const url = await app.getUrl();
  logger.info({ url, dashboard: `${url}/`, docs: `${url}/docs`, health: `${url}/health` }, 'Arrears is listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`Arrears failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
