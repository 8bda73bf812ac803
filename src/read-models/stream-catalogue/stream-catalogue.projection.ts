import type { Projection, ReadModelTransaction } from '../../infrastructure/projections/contract/projection.js';
import type { RowFamily } from '../../infrastructure/projections/contract/row-family.js';
import { storedInKeyOrder } from '../../infrastructure/projections/contract/stored-in-key-order.js';

export const STREAM_CATALOGUE_TABLE = 'stream_catalogue';

export interface StreamCatalogueRow {
  stream: string;
  /** The part of the stream name before the first dash: `loan`, `collection`. */
  category: string;
  event_count: number;
  first_position: number;
  last_position: number;
  last_revision: number;
  last_event_type: string;
  first_recorded_at: string;
  last_recorded_at: string;
}

/**
 * Every stream the store holds, with its size and when it was first and last written:
 * the index auditors start from, and the first projection fed by the runner.
 */
export class StreamCatalogueProjection implements Projection {
  readonly name = 'stream-catalogue';
  /** 2: the table kept in stream name order (storedInKeyOrder); rebuilt on start. */
  readonly version = 2;
  readonly handles = 'all';
  readonly tables = [STREAM_CATALOGUE_TABLE];
  readonly families = [streams];

  async createTables(db: ReadModelTransaction): Promise<void> {
    await storedInKeyOrder(
      db.schema
        .createTable(STREAM_CATALOGUE_TABLE)
        .addColumn('stream', 'text', (c) => c.primaryKey())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('event_count', 'integer', (c) => c.notNull())
        .addColumn('first_position', 'bigint', (c) => c.notNull())
        .addColumn('last_position', 'bigint', (c) => c.notNull())
        .addColumn('last_revision', 'integer', (c) => c.notNull())
        .addColumn('last_event_type', 'text', (c) => c.notNull())
        .addColumn('first_recorded_at', 'text', (c) => c.notNull())
        .addColumn('last_recorded_at', 'text', (c) => c.notNull()),
      db,
    ).execute();
    await db.schema.createIndex('stream_catalogue_by_category').on(STREAM_CATALOGUE_TABLE).column('category').execute();
  }
}

const streams: RowFamily<StreamCatalogueRow> = {
  table: STREAM_CATALOGUE_TABLE,
  keyColumn: 'stream',
  keyOf: (event) => event.stream,
  // Written out member by member rather than spread: every event of the log passes here (issue 23).
  next: (row, event) =>
    row
      ? {
          stream: row.stream,
          category: row.category,
          event_count: row.event_count + 1,
          first_position: row.first_position,
          last_position: event.position,
          last_revision: event.revision,
          last_event_type: event.type,
          first_recorded_at: row.first_recorded_at,
          last_recorded_at: event.recordedAt,
        }
      : {
          stream: event.stream,
          category: event.stream.split('-', 1)[0]!,
          event_count: 1,
          first_position: event.position,
          last_position: event.position,
          last_revision: event.revision,
          last_event_type: event.type,
          first_recorded_at: event.recordedAt,
          last_recorded_at: event.recordedAt,
        },
  toColumns: (row) => ({ ...row }),
  fromColumns: (columns) => ({
    ...(columns as unknown as StreamCatalogueRow),
    event_count: Number(columns['event_count']),
    first_position: Number(columns['first_position']),
    last_position: Number(columns['last_position']),
    last_revision: Number(columns['last_revision']),
  }),
};
