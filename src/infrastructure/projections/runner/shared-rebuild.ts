import type { EventStore } from '../../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb } from '../contract/projection.js';
import { type RebuildResult, rebuildInMemory } from './rebuild-in-memory.js';

/**
 * One pass over the log for every projection that starts from position 0 together (the
 * engine's first start over a seeded log, or after a version change): each reading the
 * whole log on its own read and decoded every event once per projection, so catching up
 * five projections went at a fifth of the pace of one rebuild (issue 23).
 *
 * The runners join while they are started, then `begin` runs the rebuild once for all of
 * them; each awaits `result`. A rebuild that cannot finish for all of them together (an
 * event one fold throws on, a checkpoint another process moved) writes nothing, and each
 * runner then rebuilds on its own, as it would without this.
 */
export class SharedRebuild {
  private readonly members: Projection[] = [];
  private readonly stopped = new Set<Projection>();
  private outcome: Promise<RebuildResult | undefined> | undefined;
  private started!: () => void;
  private readonly begun = new Promise<void>((resolve) => (this.started = resolve));

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelDb,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  join(projection: Projection): void {
    if (this.outcome) throw new Error('A shared rebuild cannot be joined once it has begun');
    this.members.push(projection);
  }

  /** Runs the rebuild for every projection that joined; those joining later are refused. */
  begin(): void {
    if (this.outcome) return;
    const members = [...this.members];
    this.outcome =
      members.length === 0
        ? Promise.resolve(undefined)
        : rebuildInMemory(members, this.events, this.readModels, {
            clock: this.clock,
            // Stopping any member stops them all: the host stops every runner at once.
            stopped: () => this.stopped.size > 0,
          });
    // A member that awaits the outcome sees its failure; one nobody awaits must not go unhandled.
    this.outcome.catch(() => undefined);
    this.started();
  }

  /** What the rebuild came to, once begun: undefined when it wrote nothing (stopped, or a checkpoint moved). */
  async result(): Promise<RebuildResult | undefined> {
    await this.begun;
    return this.outcome!;
  }

  /** A member is stopping: the rebuild drops its work at the next page. */
  stop(projection: Projection): void {
    this.stopped.add(projection);
  }
}
