/**
 * Which instance runs a projection: with several app instances on one read-model store,
 * each projection runs in exactly one of them, and another takes over when it dies.
 */
export interface ProjectionLeases {
  /** True when this instance holds the projection's lease: just taken, or held already. */
  tryAcquire(projection: string): Promise<boolean>;
  /** Called once if the leases this instance holds are lost (its connection to the store broke). */
  onLost(listener: () => void): void;
  /** Gives every lease up. */
  close(): Promise<void>;
}

export const PROJECTION_LEASES = Symbol('ProjectionLeases');

/** The embedded store serves one engine: every projection runs here (a CLI beside it is kept safe by the checkpoints). */
export const EVERY_PROJECTION_HERE: ProjectionLeases = {
  tryAcquire: async () => true,
  onLost: () => undefined,
  close: async () => undefined,
};
