/** Nest injection token for the application's pino logger. */
export const LOGGER = Symbol('Logger');
