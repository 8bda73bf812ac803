import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { bearer } from '../support/api-keys.js';
import { EngineProcess } from '../support/engine-process.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The power-cut promise of SQLITE_SYNCHRONOUS=FULL, as a client sees it: a command the
 * engine answered 2xx is in the log after the process dies without warning (SIGKILL: no
 * shutdown hook, no flush), whatever else was half-done at that instant. Commands cut off
 * in flight have an unknown outcome; a client retries them, and each must then be recorded
 * exactly once. The read models, killed mid-batch too, must come back to exactly what the
 * log gives.
 */
const CLI = resolve('dist/src/cli.js');
const LOANS = 6;
const IN_FLIGHT = 24;
/** Acknowledged commands before the kill: enough that the log holds real work to lose. */
const ACKNOWLEDGED_BEFORE_KILL = 60;
const RECEIVED_ON = '2026-02-01';

const loanId = (n: number) => `L-K${n}`;
const borrowerId = (n: number) => `B-K${n}`;

interface Sent {
  readonly kind: 'payment' | 'contact';
  readonly id: string;
  readonly loan: number;
  readonly path: string;
  readonly key: 'servicer' | 'collector';
  readonly body: Record<string, unknown>;
}

/** Every fifth command a collection contact, the rest payments, spread over the loans. */
function command(n: number): Sent {
  const loan = n % LOANS;
  if (n % 5 === 4) {
    const id = `C-${n}`;
    const at = `2026-03-02T${String(9 + (n % 10)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00+08:00`;
    return {
      kind: 'contact',
      id,
      loan,
      path: `/borrowers/${borrowerId(loan)}/collection-contacts`,
      key: 'collector',
      body: { contactId: id, loanId: loanId(loan), at, channel: 'phone', party: 'borrower', direction: 'outbound', connected: false, outcome: 'no-answer', agentId: 'agent-7' },
    };
  }
  const id = `P-${n}`;
  return { kind: 'payment', id, loan, path: `/loans/${loanId(loan)}/payments`, key: 'servicer', body: paymentRequest(id, `${10 + (n % 7)}.${String(n % 100).padStart(2, '0')}`, RECEIVED_ON) };
}

describe('the engine killed (SIGKILL) while commands stream in', () => {
  let folder: string;
  let env: Record<string, string>;
  const running: EngineProcess[] = [];
  const start = async () => {
    const started = await EngineProcess.start(env);
    running.push(started.engine);
    return started;
  };
  const send = (url: string, sent: Pick<Sent, 'path' | 'key' | 'body'>) =>
    fetch(`${url}${sent.path}`, { method: 'POST', headers: { ...bearer(sent.key), 'content-type': 'application/json' }, body: JSON.stringify(sent.body) });
  const getJson = async (url: string, path: string, key: 'viewer' | 'auditor') => {
    const response = await fetch(`${url}${path}`, { headers: bearer(key) });
    expect(response.status).toBe(200);
    return (await response.json()) as any;
  };
  /** Per loan, the ids of its recorded payments and contacts, as many times as each was recorded. */
  const recorded = async (url: string) => {
    const ids: string[] = [];
    for (let loan = 0; loan < LOANS; loan++) {
      const { events: loanEvents } = await getJson(url, `/loans/${loanId(loan)}/events`, 'auditor');
      for (const e of loanEvents) if (e.type === 'PaymentReceived') ids.push(e.data.paymentId);
      const contacts = await fetch(`${url}/borrowers/${borrowerId(loan)}/collection-events`, { headers: bearer('auditor') });
      if (contacts.status === 404) continue;
      for (const e of ((await contacts.json()) as any).events) if (e.type === 'CollectionContactRecorded') ids.push(e.data.contactId);
    }
    return ids;
  };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-kill-'));
    env = { SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'), SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite') };
  });
  afterEach(async () => {
    for (const engine of running.splice(0)) await engine.stop('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  it('keeps every acknowledged command, records each retried one once, and its projections end equal to a rebuild', async () => {
    const first = await start();
    for (let loan = 0; loan < LOANS; loan++) {
      expect((await send(first.url, { path: '/loans', key: 'servicer', body: originationRequest(loanId(loan), borrowerId(loan)) })).status).toBe(201);
      expect((await send(first.url, { path: `/loans/${loanId(loan)}/disbursements`, key: 'servicer', body: disbursementRequest })).status).toBe(201);
    }

    // IN_FLIGHT clients, each sending its next command as soon as the last is answered.
    const acknowledged: Sent[] = [];
    const cutOff: Sent[] = [];
    const refused: string[] = [];
    let next = 0;
    let outstanding = 0;
    let killed = false;
    const client = async () => {
      while (!killed) {
        const sent = command(next++);
        outstanding++;
        try {
          const response = await send(first.url, sent);
          // Read the whole answer: a 2xx is acknowledged once the client has it.
          const body = await response.text();
          if (response.status >= 200 && response.status < 300) acknowledged.push(sent);
          else refused.push(`${sent.id}: ${response.status} ${body}`);
        } catch {
          cutOff.push(sent);
        } finally {
          outstanding--;
        }
      }
    };
    const clients = Array.from({ length: IN_FLIGHT }, client);
    await waitFor(() => acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL, `${ACKNOWLEDGED_BEFORE_KILL} acknowledged commands`, 20_000);
    const outstandingAtKill = outstanding;
    const acknowledgedAtKill = acknowledged.length;
    killed = true;
    first.engine.child.kill('SIGKILL');
    await Promise.all(clients);
    expect(await first.engine.exited).toEqual({ code: null, signal: 'SIGKILL' });

    // The kill landed mid-stream: commands were answered before it and some were cut off by it.
    expect(refused).toEqual([]);
    expect(acknowledgedAtKill).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);
    expect(outstandingAtKill).toBeGreaterThan(0);
    expect(cutOff.length).toBeGreaterThan(0);
    expect(acknowledged.length + cutOff.length).toBe(next);

    const second = await start();
    const afterRestart = await recorded(second.url);
    // Nothing answered 2xx was lost, and nothing was recorded twice.
    expect(acknowledged.map((s) => s.id).filter((id) => !afterRestart.includes(id))).toEqual([]);
    expect(new Set(afterRestart).size).toBe(afterRestart.length);
    // Nothing is recorded that no client sent.
    const sentIds = new Set([...acknowledged, ...cutOff].map((s) => s.id));
    expect(afterRestart.filter((id) => !sentIds.has(id))).toEqual([]);

    // A client retries what it never got an answer for; each is then recorded exactly once.
    for (const sent of cutOff) {
      const retried = await send(second.url, sent);
      expect({ id: sent.id, status: retried.status }).toEqual({ id: sent.id, status: 201 });
    }
    const afterRetries = await recorded(second.url);
    expect(afterRetries.sort()).toEqual([...sentIds].sort());
    for (let loan = 0; loan < LOANS; loan++) {
      const view = await getJson(second.url, `/loans/${loanId(loan)}`, 'viewer');
      const payments = [...sentIds].filter((id) => id.startsWith('P-') && command(Number(id.slice(2))).loan === loan);
      expect(view.payments.map((p: { paymentId: string }) => p.paymentId).sort()).toEqual(payments.sort());
    }

    // The read models, interrupted mid-batch as well, catch up to the head of the log.
    const { headPosition } = (await (await fetch(`${second.url}/health`)).json()) as { headPosition: number };
    await waitFor(
      async () => ((await getJson(second.url, '/projections', 'viewer')) as { checkpoint: number; state: string }[]).every((p) => p.checkpoint === headPosition && p.state === 'live'),
      'every projection live at the head of the log',
      30_000,
    );
    expect(await second.engine.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    // Hash chains intact, and every projection row for row what a rebuild from the first event gives.
    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    const verify = spawnSync(process.execPath, [CLI, 'verify'], { env: { ...inherited, ...env }, encoding: 'utf8', timeout: 60_000 });
    expect({ status: verify.status, differences: verify.stderr.split('\n').filter((line) => /^(BROKEN|DIFFERS)/.test(line)) }).toEqual({ status: 0, differences: [] });
    const report = JSON.parse(verify.stdout) as { ok: boolean; projections: { projection: string; position: number }[] };
    expect(report.ok).toBe(true);
    expect(report.projections.map((p) => p.position)).toEqual(report.projections.map(() => headPosition));
  }, 120_000);
});
