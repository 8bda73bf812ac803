import { ApiError, followLive, getJson, storeKey, storedKey } from './api.js';
import { cell, el, percent, replaceContent, table } from './elements.js';
import { lineChart } from './line-chart.js';
import { refreshAssessmentPanel } from './assessment-panel.js';

interface Slice { key: string; loans: number; outstandingPrincipal: string }
interface Summary { asOf: string | null; currencies: { currency: string; byBucket: Slice[]; byClassification: Slice[] }[] }
interface Point { businessDate: string; loans: number; outstandingPrincipal: string; overdueRatio: string; overdueRatioDpdOver30: string; overdueRatioDpdOver90: string; nplRatio: string }
interface History { currencies: { currency: string; points: Point[] }[] }
interface RollRates { asOf: string; currencies: { currency: string; rollRates: { from: string; to: { to: string; loans: number; principal: string }[] }[] }[] }
interface Grade { grade: string; disbursed: number; everThirtyDaysPastDue: number; everThirtyDaysPastDueRate: string; onBooks: number; overdueNow: number; overdueRate: string }
interface QueueItem { loanId: string; borrowerId: string; daysPastDue: number; bucket: string; amountDue: string; nextAllowedContactAt: string | null; brokenPromise: boolean }
interface Loan { loanId: string; borrowerId: string; status: string; currency: string; creditAssessment: { grade: string }; schedule: { number: number; dueOn: string; status: string; outstanding: { total: string } }[]; balances: { on: string; fallenDue: { total: string }; payoffAmount: string } }
interface TimelineEntry { revision: number; type: string; recordedAt: string; actor: string | null }
interface OverduePoint { businessDate: string; daysPastDue: number; bucket: string }

let selectedLoan: string | null = null;
let refreshes = 0;
let live: AbortController | undefined;

function sumAmounts(amounts: readonly string[]): string {
  return (amounts.reduce((total, amount) => total + Math.round(Number(amount) * 100), 0) / 100).toFixed(2);
}

async function refresh(): Promise<void> {
  const [summary, history, grades, queue] = await Promise.all([
    getJson<Summary>('/overdue/summary'),
    getJson<History>('/dashboard/portfolio-history'),
    getJson<Grade[]>('/dashboard/grades'),
    getJson<{ items: QueueItem[] }>('/collections/queue?limit=25'),
  ]);
  const rollRates = await getJson<RollRates>('/dashboard/roll-rates').catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 409) return null; // nothing closed yet
    throw error;
  });
  renderSummary(summary, history);
  renderHistory(history);
  renderRollRates(rollRates);
  renderGrades(grades);
  renderQueue(queue.items);
  await refreshAssessmentPanel(summary.asOf);
  if (selectedLoan) await showLoan(selectedLoan);
  refreshes += 1;
  const stamp = document.getElementById('updated-at');
  if (stamp) {
    stamp.textContent = `as of ${summary.asOf ?? 'no close of business yet'} · updated ${new Date().toLocaleTimeString()}`;
    stamp.dataset['refreshes'] = String(refreshes);
  }
}

function renderSummary(summary: Summary, history: History): void {
  const totals = summary.currencies.map(({ currency, byBucket }) => {
    const latest = history.currencies.find((c) => c.currency === currency)?.points.at(-1);
    return el(
      'div',
      { class: 'total' },
      el('h3', {}, currency),
      el('p', {}, 'Loans on the books ', el('strong', { 'data-testid': `total-${currency}-loans` }, byBucket.reduce((n, s) => n + s.loans, 0))),
      el('p', {}, 'Outstanding principal ', el('strong', { 'data-testid': `total-${currency}-principal` }, sumAmounts(byBucket.map((s) => s.outstandingPrincipal)))),
      latest && el('p', {}, 'Overdue ratio ', el('strong', {}, percent(latest.overdueRatio)), ' · NPL ratio ', el('strong', {}, percent(latest.nplRatio))),
    );
  });
  replaceContent('totals', ...(totals.length > 0 ? totals : ['No loans on the books yet.']));
  const slices = (kind: 'bucket' | 'class', currency: string, rows: Slice[]) =>
    table(
      [kind === 'bucket' ? 'Bucket' : 'Class', 'Loans', 'Outstanding principal'],
      rows.map((s) => [s.key, cell(s.loans, { 'data-testid': `${kind}-${currency}-${s.key}-loans` }), cell(s.outstandingPrincipal, { 'data-testid': `${kind}-${currency}-${s.key}-principal` })]),
    );
  replaceContent('by-bucket', ...summary.currencies.flatMap(({ currency, byBucket }) => [el('h3', {}, currency), slices('bucket', currency, byBucket)]));
  replaceContent('by-class', ...summary.currencies.flatMap(({ currency, byClassification }) => [el('h3', {}, currency), slices('class', currency, byClassification)]));
}

function renderHistory(history: History): void {
  replaceContent(
    'ratios',
    ...history.currencies.flatMap(({ currency, points }) => [
      el('h3', {}, `${currency} · ${points.length} closes of business`),
      lineChart(
        points.map((p) => p.businessDate),
        [
          { name: 'overdue', values: points.map((p) => Number(p.overdueRatio)) },
          { name: 'DPD > 30', values: points.map((p) => Number(p.overdueRatioDpdOver30)) },
          { name: 'DPD > 90', values: points.map((p) => Number(p.overdueRatioDpdOver90)) },
          { name: 'NPL', values: points.map((p) => Number(p.nplRatio)) },
        ],
        `Overdue and NPL ratios of ${currency} by close of business`,
      ),
    ]),
  );
}

function renderRollRates(rollRates: RollRates | null): void {
  if (!rollRates) return replaceContent('roll-rates', 'No close of business yet.');
  replaceContent(
    'roll-rates',
    el('p', {}, `From the bucket at the previous month end to ${rollRates.asOf} (loans)`),
    ...rollRates.currencies.flatMap(({ currency, rollRates: rows }) => {
      const destinations = rows[0]?.to.map((t) => t.to) ?? [];
      return [el('h3', {}, currency), table(['from \\ to', ...destinations], rows.map((row) => [row.from, ...row.to.map((t) => cell(t.loans, { class: t.loans > 0 ? 'nonzero' : '' }))]))];
    }),
  );
}

function renderGrades(grades: Grade[]): void {
  replaceContent(
    'grades',
    table(
      ['Grade', 'Disbursed', 'Ever 30+ DPD', 'Rate', 'On books', 'Overdue now', 'Overdue rate'],
      grades.map((g) => [g.grade, g.disbursed, g.everThirtyDaysPastDue, percent(g.everThirtyDaysPastDueRate), g.onBooks, g.overdueNow, cell(percent(g.overdueRate), { 'data-testid': `grade-${g.grade}-overdue-rate` })]),
    ),
  );
}

function renderQueue(items: QueueItem[]): void {
  replaceContent(
    'queue',
    items.length === 0
      ? 'Nobody to call.'
      : table(
          ['Loan', 'Borrower', 'DPD', 'Bucket', 'Amount due', 'Next allowed contact'],
          items.map((item) => {
            const open = el('button', { type: 'button', class: 'link' }, item.loanId);
            open.addEventListener('click', () => void showLoan(item.loanId));
            return [cell(open), item.borrowerId, item.daysPastDue, item.bucket, item.amountDue, item.nextAllowedContactAt ?? 'only the borrower can lift a rule'];
          }),
        ),
  );
}

async function showLoan(loanId: string): Promise<void> {
  selectedLoan = loanId;
  try {
    const [loan, timeline, overdue] = await Promise.all([
      getJson<Loan>(`/loans/${encodeURIComponent(loanId)}`),
      getJson<TimelineEntry[]>(`/dashboard/loans/${encodeURIComponent(loanId)}/timeline`),
      getJson<OverduePoint[]>(`/dashboard/loans/${encodeURIComponent(loanId)}/overdue-history`),
    ]);
    replaceContent(
      'loan',
      el('h3', { 'data-testid': 'loan-heading' }, `${loan.loanId} · ${loan.borrowerId} · grade ${loan.creditAssessment.grade} · ${loan.status} · ${loan.balances.fallenDue.total} fallen due, ${loan.balances.payoffAmount} settles it on ${loan.balances.on} (${loan.currency})`),
      el('h4', {}, 'Schedule'),
      table(['#', 'Due on', 'Status', 'Outstanding'], loan.schedule.map((line) => [line.number, line.dueOn, line.status, line.outstanding.total]), { 'data-testid': 'loan-schedule' }),
      el('h4', {}, 'Days past due at each close of business'),
      overdue.length > 0
        ? lineChart(overdue.map((p) => p.businessDate), [{ name: 'days past due', values: overdue.map((p) => p.daysPastDue) }], `Days past due of ${loan.loanId}`, (days) => `${Math.round(days)} d`)
        : el('p', {}, 'No close of business since disbursement.'),
      el('h4', {}, 'Events'),
      el('div', { class: 'scroll' }, table(['#', 'Event', 'Recorded at', 'By'], timeline.map((e) => [e.revision, e.type, e.recordedAt, e.actor ?? '']), { 'data-testid': 'loan-events' })),
    );
  } catch (error) {
    replaceContent('loan', error instanceof Error ? error.message : String(error));
  }
}

function showError(error: unknown): void {
  const message = error instanceof ApiError && (error.status === 401 || error.status === 403) ? `${error.message} — enter a key with the viewer role.` : error instanceof Error ? error.message : String(error);
  replaceContent('status', message);
}

async function start(): Promise<void> {
  replaceContent('status');
  live?.abort();
  live = new AbortController();
  try {
    await refresh();
  } catch (error) {
    showError(error);
    return;
  }
  let pending: ReturnType<typeof setTimeout> | undefined;
  // Projections advance in bursts; one refresh after the burst is enough.
  followLive((type) => {
    if (type !== 'projections') return;
    clearTimeout(pending);
    pending = setTimeout(() => void refresh().catch(showError), 200);
  }, live.signal).catch(showError);
}

document.getElementById('key-form')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('key') as HTMLInputElement;
  storeKey(input.value.trim() || null);
  input.value = '';
  void start();
});
document.getElementById('assessment-form')?.addEventListener('change', () => void refresh().catch(showError));
document.getElementById('loan-form')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const loanId = (document.getElementById('loan-id') as HTMLInputElement).value.trim();
  if (loanId) void showLoan(loanId);
});
if (storedKey()) void start();
else replaceContent('status', 'Enter a key with the viewer role to see the portfolio.');
