/** Nest injection token for the list of projections the runner keeps up to date. */
export const PROJECTIONS = Symbol('Projections');
