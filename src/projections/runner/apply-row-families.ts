import type { StoredEvent } from '../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelTransaction } from '../../kernel/projections/projection.js';

/** Following the log: each family's row for the event is read, folded and written back. */
export async function applyToDatabase(projection: Projection, event: StoredEvent, db: ReadModelTransaction): Promise<void> {
  for (const family of projection.families) {
    const key = family.keyOf(event);
    if (key === undefined) continue;
    const stored = await db.selectFrom(family.table).selectAll().where(family.keyColumn, '=', key).executeTakeFirst();
    const before = stored ? family.fromColumns(stored) : undefined;
    const after = family.next(before, event);
    if (after === undefined) {
      if (stored) await db.deleteFrom(family.table).where(family.keyColumn, '=', key).execute();
    } else if (stored) {
      await db.updateTable(family.table).set(family.toColumns(after)).where(family.keyColumn, '=', key).execute();
    } else {
      await db.insertInto(family.table).values(family.toColumns(after)).execute();
    }
  }
}

const INSERT_CHUNK = 200;

/** A family could not fold an event: the projection stops there, as it would following the log. */
export class RowFoldError extends Error {
  constructor(
    readonly event: StoredEvent,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * Rebuilding from the first event: every row folded in memory, then written once. Far
 * fewer statements than one read and one write per event; the rows of a projection fit in
 * memory (a row per loan or borrower).
 */
export class RowsInMemory {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly rows: Map<string, any>[];

  constructor(private readonly projection: Projection) {
    this.rows = projection.families.map(() => new Map());
  }

  apply(event: StoredEvent): void {
    try {
      this.projection.families.forEach((family, index) => {
        const key = family.keyOf(event);
        if (key === undefined) return;
        const rows = this.rows[index]!;
        const after = family.next(rows.get(key), event);
        if (after === undefined) rows.delete(key);
        else rows.set(key, after);
      });
    } catch (reason) {
      throw new RowFoldError(event, reason);
    }
  }

  /** Writes every row, in key order so the table's pages fill in order. */
  async writeTo(db: ReadModelTransaction): Promise<number> {
    let written = 0;
    for (const [index, family] of this.projection.families.entries()) {
      const rows = [...this.rows[index]!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => family.toColumns(row));
      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        await db.insertInto(family.table).values(rows.slice(start, start + INSERT_CHUNK)).execute();
      }
      written += rows.length;
    }
    return written;
  }
}
