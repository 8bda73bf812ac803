import { type Compilable, CompiledQuery, type QueryResult } from 'kysely';
import type { StoredEvent } from '../../../kernel/event-store/event-store.port.js';
import type { Projection, ReadModelDb, ReadModelTransaction } from '../contract/projection.js';
import type { RowFamily } from '../contract/row-family.js';
import { onSqlite } from '../contract/read-store-dialect.js';

/**
 * Following the log, a batch at a time: each family's rows named by the batch are read in
 * one statement, every event is folded into them in memory in log order, and the rows that
 * changed are written back in multi-row upserts (one per set of columns to set: RowWrite, a
 * handful a family however many rows) and one delete for the rows that went, so a batch
 * costs a few round trips per family, not several per event.
 * A fold that throws stops the batch at its event (FoldError), before anything is written.
 */
export async function applyBatchToDatabase(projection: Projection, events: readonly StoredEvent[], db: ReadModelTransaction): Promise<void> {
  const { families } = projection;
  const keysByFamily = families.map((family) => {
    const keys = new Set<string>();
    for (const event of events) {
      const key = family.keyOf(event);
      if (key !== undefined) keys.add(key);
    }
    return keys;
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rowsByFamily: Map<string, any>[] = [];
  /** The columns each row was read with: a row folded back to the same columns is not written. */
  const storedByFamily: Map<string, Record<string, unknown>>[] = [];
  for (const [index, family] of families.entries()) {
    const rows = new Map<string, unknown>();
    const stored = new Map<string, Record<string, unknown>>();
    const keys = [...keysByFamily[index]!];
    for (let start = 0; start < keys.length; start += SELECT_CHUNK) {
      const chunk = keys.slice(start, start + SELECT_CHUNK);
      const found = await runShaped(db, `${family.table}:select:${chunk.length}`, chunk, () =>
        db.selectFrom(family.table).selectAll().where(family.keyColumn, 'in', chunk),
      );
      for (const columns of found.rows) {
        const key = String(columns[family.keyColumn]);
        rows.set(key, family.fromColumns(columns));
        stored.set(key, columns);
      }
    }
    rowsByFamily.push(rows);
    storedByFamily.push(stored);
  }
  for (const event of events) {
    for (const [index, family] of families.entries()) {
      const key = family.keyOf(event);
      if (key === undefined) continue;
      const rows = rowsByFamily[index]!;
      let after;
      try {
        after = family.next(rows.get(key), event);
      } catch (reason) {
        throw new FoldError(event, reason);
      }
      if (after === undefined) rows.delete(key);
      else rows.set(key, after);
    }
  }
  const setOnlyChanged = onSqlite(db);
  for (const [index, family] of families.entries()) {
    const rows = rowsByFamily[index]!;
    const stored = storedByFamily[index]!;
    const gone = [...stored.keys()].filter((key) => !rows.has(key));
    for (let start = 0; start < gone.length; start += SELECT_CHUNK) {
      const chunk = gone.slice(start, start + SELECT_CHUNK);
      await runShaped(db, `${family.table}:delete:${chunk.length}`, chunk, () => db.deleteFrom(family.table).where(family.keyColumn, 'in', chunk));
    }
    const writes: RowWrite[] = [];
    for (const key of keysByFamily[index]!) {
      if (!rows.has(key)) continue;
      const columns = family.toColumns(rows.get(key));
      const before = stored.get(key);
      if (!before) {
        writes.push({ columns, columnsToSet: ALL_COLUMNS });
        continue;
      }
      const changed = changedColumns(columns, before);
      if (changed.length > 0) writes.push({ columns, columnsToSet: setOnlyChanged ? changed : ALL_COLUMNS });
    }
    await upsertRows(db, family, writes);
  }
}

/**
 * The columns whose value writing would change: not the same as read back, nor the same
 * text (a store hands some numbers back as strings). Anything else (a number in another
 * form, a date object) counts as a change and is written.
 */
function changedColumns(columns: Record<string, unknown>, stored: Record<string, unknown>): string[] {
  const changed: string[] = [];
  for (const name in columns) {
    const value = columns[name];
    const was = stored[name];
    if (value === was) continue;
    if (value === null || value === undefined || was === null || was === undefined || typeof value === 'object' || typeof was === 'object' || String(value) !== String(was)) {
      changed.push(name);
    }
  }
  return changed;
}

/** A family's fold threw on an event: the batch stops there, nothing of it written. */
export class FoldError extends Error {
  constructor(
    readonly event: StoredEvent,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * The SQL text of each statement, per store dialect and shape (table, kind, how many keys or
 * rows, which columns): it does not depend on the values, and building and compiling it cost
 * more than running it while following the log live, a few events a batch.
 */
const statementTexts = new WeakMap<object, Map<string, string>>();
/** Shapes kept per dialect (batches of up to PROJECTION_BATCH_SIZE rows, a few column sets and sets of columns to set a table). */
const MAX_SHAPES = 10_000;

/**
 * Runs the statement `build` makes with these parameters, building and compiling it only the
 * first time its shape is seen; kept only when its parameters come out as given, in order.
 */
async function runShaped(
  db: ReadModelTransaction,
  shape: string,
  parameters: readonly unknown[],
  build: () => Compilable,
): Promise<QueryResult<Record<string, unknown>>> {
  const dialect = db.getExecutor().adapter;
  let texts = statementTexts.get(dialect);
  if (!texts) statementTexts.set(dialect, (texts = new Map()));
  const text = texts.get(shape);
  if (text !== undefined) return db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [...parameters]));
  const compiled = build().compile();
  const same = compiled.parameters.length === parameters.length && compiled.parameters.every((value, index) => value === parameters[index]);
  if (same && texts.size < MAX_SHAPES) texts.set(shape, compiled.sql);
  return db.executeQuery<Record<string, unknown>>(compiled as CompiledQuery<Record<string, unknown>>);
}

/** Keys per `IN (...)` list: well within every store's limit on a statement's parameters. */
const SELECT_CHUNK = 1000;
/** Parameters per upsert: PostgreSQL allows 65,535 a statement, SQLite 32,766. */
const MAX_PARAMETERS = 30_000;

/** Every column but the key is set where the row's key is there already (not a column name). */
const ALL_COLUMNS = '*';

/**
 * A row to write, and the columns to set where its key is in the table already: on SQLite
 * those whose value changed, else all of them (and for a row not read first). SQLite
 * rewrites an index entry for every column an update sets, to the same value or not: a
 * penalty accrual setting a loan's status and oldest unpaid due date again moved its entry
 * in overdue_status_by_dpd, a second random page written for every loan changed (measured
 * on a million 1.5 KB rows with that index, 100,000 changed: 3.09 GB through the WAL
 * setting every column, 1.64 GB setting the two that changed). PostgreSQL compares an
 * indexed column's old and new values itself, so there a statement per set would only add
 * round trips.
 */
interface RowWrite {
  readonly columns: Record<string, unknown>;
  readonly columnsToSet: readonly string[] | typeof ALL_COLUMNS;
}

/**
 * Inserts the rows, or updates those whose key is there (ON CONFLICT on the family's
 * primary key: the columns to set are set, as an UPDATE of them would), in statements of
 * rows with the same columns and the same ones to set.
 */
async function upsertRows(db: ReadModelTransaction, family: RowFamily<unknown>, writes: readonly RowWrite[]): Promise<void> {
  for (const { signature, names, chunk, parameters } of statementsOfRows(writes)) {
    const { columnsToSet } = chunk[0]!;
    const updated = (columnsToSet === ALL_COLUMNS ? names : columnsToSet).filter((name) => name !== family.keyColumn);
    await runShaped(db, `${family.table}:upsert:${signature}:${chunk.length}`, parameters, () =>
      db
        .insertInto(family.table)
        .values(chunk.map((write) => write.columns))
        .onConflict((conflict) => {
          const onKey = conflict.column(family.keyColumn);
          return updated.length === 0
            ? onKey.doNothing()
            : onKey.doUpdateSet((eb) => Object.fromEntries(updated.map((name) => [name, eb.ref(`excluded.${name}`)])));
        }),
    );
  }
}

/**
 * The rows in statements of rows with the same columns and the same ones to set (one
 * statement's text serves them all), each within MAX_PARAMETERS, with their parameters in
 * column order.
 */
function* statementsOfRows(writes: readonly RowWrite[]): Generator<{ signature: string; names: string[]; chunk: RowWrite[]; parameters: unknown[] }> {
  const bySignature = new Map<string, RowWrite[]>();
  for (const write of writes) {
    const { columnsToSet } = write;
    const signature = `${Object.keys(write.columns).join(',')}|${columnsToSet === ALL_COLUMNS ? columnsToSet : columnsToSet.join(',')}`;
    const same = bySignature.get(signature);
    if (same) same.push(write);
    else bySignature.set(signature, [write]);
  }
  for (const [signature, same] of bySignature) {
    const names = Object.keys(same[0]!.columns);
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / names.length));
    for (let start = 0; start < same.length; start += perStatement) {
      const chunk = same.slice(start, start + perStatement);
      const parameters: unknown[] = [];
      for (const { columns } of chunk) for (const name of names) parameters.push(columns[name]);
      yield { signature, names, chunk, parameters };
    }
  }
}

/** Rows per insert when rebuilding: statements big enough that each costs little per row. */
const INSERT_CHUNK = 500;

/** Inserts the rows into an empty table, in statements of rows with the same columns. */
async function insertRows(db: ReadModelTransaction, table: string, writes: readonly RowWrite[]): Promise<void> {
  for (const { signature, chunk, parameters } of statementsOfRows(writes)) {
    await runShaped(db, `${table}:insert:${signature}:${chunk.length}`, parameters, () => db.insertInto(table).values(chunk.map((write) => write.columns)));
  }
}

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
 * fewer statements than one read and one write per event. Where the rows would not fit in
 * memory (a million loans), they are written out now and then (`flushTo`) and dropped;
 * a row written out is read back, a page of events at a time, when an event names it again.
 */
export class RowsInMemory {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly rows: Map<string, any>[];
  /** Per family, the keys of the rows in its table (written by an earlier flush and not removed since). */
  private readonly inTable: Set<string>[];
  /** Per family, rows in the table that the fold removed since the last flush. */
  private readonly removed: Set<string>[];

  constructor(private readonly projection: Projection) {
    this.rows = projection.families.map(() => new Map());
    this.inTable = projection.families.map(() => new Set());
    this.removed = projection.families.map(() => new Set());
  }

  /** Rows held in memory. */
  get size(): number {
    let size = 0;
    for (const rows of this.rows) size += rows.size;
    return size;
  }

  /** Whether some rows were written out already: events must then be `loadFor`-ed before they are applied. */
  get flushed(): boolean {
    return this.inTable.some((keys) => keys.size > 0);
  }

  /** Reads back the rows these events name that were written out and dropped: one select per family and 1,000 keys. */
  async loadFor(events: readonly StoredEvent[], db: ReadModelDb | ReadModelTransaction): Promise<void> {
    for (const [index, family] of this.projection.families.entries()) {
      const rows = this.rows[index]!;
      const inTable = this.inTable[index]!;
      const wanted = new Set<string>();
      for (const event of events) {
        const key = family.keyOf(event);
        if (key !== undefined && !rows.has(key) && inTable.has(key) && !this.removed[index]!.has(key)) wanted.add(key);
      }
      const keys = [...wanted];
      for (let start = 0; start < keys.length; start += SELECT_CHUNK) {
        const chunk = keys.slice(start, start + SELECT_CHUNK);
        const found = await db.executeQuery<Record<string, unknown>>(
          db.selectFrom(family.table).selectAll().where(family.keyColumn, 'in', chunk).compile(),
        );
        for (const columns of found.rows) rows.set(String(columns[family.keyColumn]), family.fromColumns(columns));
      }
    }
  }

  apply(event: StoredEvent): void {
    const { families } = this.projection;
    try {
      for (let index = 0; index < families.length; index++) {
        const family = families[index]!;
        const key = family.keyOf(event);
        if (key === undefined) continue;
        const rows = this.rows[index]!;
        const after = family.next(rows.get(key), event);
        if (after !== undefined) rows.set(key, after);
        else if (rows.delete(key) && this.inTable[index]!.has(key)) this.removed[index]!.add(key);
      }
    } catch (reason) {
      throw new RowFoldError(event, reason);
    }
  }

  /**
   * Writes every row held, in key order so the table's pages fill in order, in multi-row
   * statements of up to INSERT_CHUNK rows whose SQL text is built once per shape
   * (runShaped): inserts into a table nothing was written to yet, else upserts, and a delete
   * for rows written earlier that the fold removed since. Then drops them from memory.
   * Returns how many rows it wrote.
   */
  async flushTo(db: ReadModelTransaction): Promise<number> {
    let written = 0;
    for (const [index, family] of this.projection.families.entries()) {
      const rows = this.rows[index]!;
      const inTable = this.inTable[index]!;
      const keys = [...rows.keys()].sort();
      const gone = [...this.removed[index]!].filter((key) => !rows.has(key));
      for (let start = 0; start < gone.length; start += SELECT_CHUNK) {
        const chunk = gone.slice(start, start + SELECT_CHUNK);
        await db.deleteFrom(family.table).where(family.keyColumn, 'in', chunk).execute();
      }
      const firstWrite = inTable.size === 0;
      for (let start = 0; start < keys.length; start += INSERT_CHUNK) {
        const writes = keys.slice(start, start + INSERT_CHUNK).map((key): RowWrite => ({ columns: family.toColumns(rows.get(key)), columnsToSet: ALL_COLUMNS }));
        if (firstWrite) await insertRows(db, family.table, writes);
        else await upsertRows(db, family, writes);
      }
      written += keys.length;
      for (const key of gone) inTable.delete(key);
      for (const key of keys) inTable.add(key);
      rows.clear();
      this.removed[index]!.clear();
    }
    return written;
  }
}
