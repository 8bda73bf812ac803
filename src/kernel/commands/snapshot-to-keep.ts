import type { AppendOptions, StreamRevision } from '../event-store/event-store.port.js';
import { type Snapshotting, isSnapshotDue } from '../snapshotting.js';

/**
 * The snapshot to keep with an append that leaves the stream at `revision` in `state`, or
 * none when fewer than `everyEvents` events lie past the last one (or the decider keeps
 * none). Due even when the command changes nothing: the next load then reads less.
 */
export function snapshotToKeep<TState>(
  snapshotting: Snapshotting<TState> | undefined,
  state: TState,
  revision: StreamRevision,
  lastSnapshotRevision: StreamRevision,
): AppendOptions['snapshot'] {
  if (!snapshotting || revision < 0 || !isSnapshotDue(snapshotting, revision - lastSnapshotRevision)) return undefined;
  return { schema: snapshotting.schema, state: snapshotting.toSnapshot(state) };
}
