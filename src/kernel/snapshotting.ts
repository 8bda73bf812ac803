/**
 * How an aggregate's state is kept as a snapshot, so that loading it reads only the events
 * after the snapshot instead of the whole stream (a loan overdue for months has an event per
 * day). Snapshots are a cache that the events can always rebuild.
 */
export interface Snapshotting<TState> {
  /**
   * Names the state's shape and the evolve function behind it, for example 'loan-state/1'.
   * Change it whenever either changes: snapshots of another schema are ignored and replaced,
   * so a changed evolve never starts from a state the old one produced.
   */
  readonly schema: string;
  /**
   * A new snapshot is kept once this many events lie past the last one: loading then reads
   * fewer than that many events, while writing a snapshot (kilobytes, where an event is a
   * few hundred bytes) happens once per that many events rather than with every append.
   */
  readonly everyEvents: number;
  /** The state as plain JSON data. */
  toSnapshot(state: TState): unknown;
  fromSnapshot(snapshot: unknown): TState;
}

/** Whether a command should keep a new snapshot, given the events past the last one once it is appended. */
export function isSnapshotDue(snapshotting: Snapshotting<unknown>, eventsPastSnapshot: number): boolean {
  return eventsPastSnapshot >= snapshotting.everyEvents;
}
