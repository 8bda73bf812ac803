import { CompiledQuery } from 'kysely';
import type { StoredEvent } from '../../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelTransaction } from '../contract/projection.js';

/** Following the log: each family's row for the event is read, folded and written back. */
export async function applyToDatabase(projection: Projection, event: StoredEvent, db: ReadModelTransaction): Promise<void> {
  for (const family of projection.families) {
    const key = family.keyOf(event);
    if (key === undefined) continue;
    const { table, keyColumn } = family;
    const select = compiledOnce(db, `${table}:select`, () => db.selectFrom(table).selectAll().where(keyColumn, '=', key).compile());
    const stored = (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(select, [key]))).rows[0];
    const after = family.next(stored ? family.fromColumns(stored) : undefined, event);
    if (after === undefined) {
      if (!stored) continue;
      const remove = compiledOnce(db, `${table}:delete`, () => db.deleteFrom(table).where(keyColumn, '=', key).compile());
      await db.executeQuery(CompiledQuery.raw(remove, [key]));
      continue;
    }
    const columns = family.toColumns(after);
    const names = Object.keys(columns);
    const values = names.map((name) => columns[name]);
    if (stored) {
      const update = compiledOnce(db, `${table}:update:${names.join(',')}`, () => db.updateTable(table).set(columns).where(keyColumn, '=', key).compile());
      await db.executeQuery(CompiledQuery.raw(update, [...values, key]));
    } else {
      const insert = compiledOnce(db, `${table}:insert:${names.join(',')}`, () => db.insertInto(table).values(columns).compile());
      await db.executeQuery(CompiledQuery.raw(insert, values));
    }
  }
}

/**
 * The SQL text of each statement, built by the query builder once per store dialect: it
 * does not depend on the values, and building and compiling cost more than running the
 * statement, once per row per event while following the log.
 */
const statementTexts = new WeakMap<object, Map<string, string>>();

function compiledOnce(db: ReadModelTransaction, name: string, build: () => CompiledQuery): string {
  const dialect = db.getExecutor().adapter;
  let texts = statementTexts.get(dialect);
  if (!texts) statementTexts.set(dialect, (texts = new Map()));
  let text = texts.get(name);
  if (text === undefined) texts.set(name, (text = build().sql));
  return text;
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
