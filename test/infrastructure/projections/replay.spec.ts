import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../../src/config/app-config.js';
import { createTestApp } from '../../support/test-app.js';
import { EVENT_STORE, type EventStore } from '../../../src/kernel/event-store/event-store.port.js';
import { type Projection, READ_MODEL_DB, type ReadModelDb } from '../../../src/infrastructure/projections/contract/projection.js';
import { PROJECTIONS } from '../../../src/infrastructure/projections/projections.token.js';
import { replayProjections } from '../../../src/infrastructure/projections/replay/replay-projections.js';
import { PostgresReplayTarget, type ReplayTarget, SqliteReplayTarget } from '../../../src/infrastructure/projections/replay/replay-target.js';
import { readCheckpoint } from '../../../src/infrastructure/projections/runner/checkpoint-table.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../../fixtures/loan-requests.js';
import { getWhenProjected } from '../../support/get-when-projected.js';
import { testConfig } from '../../support/test-config.js';

/** Replay on whichever read store the pass uses: a scratch SQLite file, or a scratch PostgreSQL schema. */
describe('replaying projections into fresh tables', () => {
  let app: NestFastifyApplication;
  let folder: string;
  const rowsOf = async (db: ReadModelDb, projections: readonly Projection[]) => {
    const all: Record<string, unknown[]> = {};
    for (const table of projections.flatMap((p) => p.tables)) {
      all[table] = (await db.selectFrom(table as never).selectAll().execute()).map((row) => JSON.stringify(row)).sort();
    }
    return all;
  };

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-replay-spec-'));
    app = await createTestApp(testConfig());
    for (const loanId of ['L-1', 'L-2']) {
      await app.inject({ method: 'POST', url: '/loans', payload: originationRequest(loanId) });
      await app.inject({ method: 'POST', url: `/loans/${loanId}/disbursements`, payload: disbursementRequest });
    }
    await app.inject({ method: 'POST', url: '/close-of-business', payload: { businessDate: '2026-03-31' } });
    await app.inject({ method: 'POST', url: '/borrowers/B-77/collection-contacts', payload: {
      contactId: 'C-1', loanId: 'L-1', at: '2026-03-20T10:00:00+08:00', channel: 'phone', party: 'borrower', direction: 'outbound', connected: true, outcome: 'reached', agentId: 'a-1',
    } });
    await getWhenProjected(app, '/projections');
  });
  afterEach(async () => {
    await app.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('swaps in tables with exactly the rows the live ones had, at the head, and the live projections carry on', async () => {
    const config = app.get(AppConfig);
    const live = app.get<ReadModelDb>(READ_MODEL_DB);
    const events = app.get<EventStore>(EVENT_STORE);
    const projections = app.get<Projection[]>(PROJECTIONS);
    const target: ReplayTarget =
      config.READ_STORE === 'postgres' ? new PostgresReplayTarget(config.READ_STORE_URL, config.READ_STORE_SCHEMA) : new SqliteReplayTarget(join(folder, 'replay.sqlite'));
    const before = await rowsOf(live, projections);
    const head = await events.headPosition();

    const result = await replayProjections(projections, events, live, target);
    expect(result).toMatchObject({ position: head, events: head });
    expect(await rowsOf(live, projections)).toEqual(before);
    for (const projection of projections) expect(await readCheckpoint(live, projection.name)).toEqual({ version: projection.version, position: head });

    await app.inject({ method: 'POST', url: '/loans/L-2/payments', payload: paymentRequest('P-2', '3000.00', '2026-04-01') });
    expect((await getWhenProjected(app, '/loans/L-2/overdue-status')).daysPastDue).toBe(0);
  });
});
