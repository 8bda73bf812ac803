/** The command line itself is wrong: the CLI prints the problem and its usage and exits 2. */
export class UsageError extends Error {}
