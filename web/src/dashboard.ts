import { ApiError, followLive, getJson, storeKey, storedKey } from './api.js';
import { cell, el, replaceContent, table } from './elements.js';
import { lineChart } from './chart.js';
import { amount, dateOf, instantAtItsOffset, money, num, pct, sumMinor } from './format.js';
import { refreshAssessmentPanel } from './assessment-panel.js';

interface Slice { key: string; loans: number; outstandingPrincipal: string }
interface Summary { asOf: string | null; currencies: { currency: string; byBucket: Slice[]; byClassification: Slice[] }[] }
interface Point { businessDate: string; loans: number; outstandingPrincipal: string; overdueRatio: string; overdueRatioDpdOver30: string; overdueRatioDpdOver90: string; nplRatio: string }
interface History { currencies: { currency: string; points: Point[] }[] }
interface RollRates { asOf: string; currencies: { currency: string; rollRates: { from: string; to: { to: string; loans: number; principal: string }[] }[] }[] }
interface Grade { grade: string; disbursed: number; everThirtyDaysPastDue: number; everThirtyDaysPastDueRate: string; onBooks: number; overdueNow: number; overdueRate: string }
interface QueueItem {
  loanId: string;
  borrowerId: string;
  daysPastDue: number;
  bucket: string;
  amountDue: string;
  nextAllowedContactAt: string | null;
  brokenPromise: boolean;
  openPromise: { amount: string; dueOn: string } | null;
  lastContact: { at: string; channel: string; outcome: string } | null;
  contactsLast7Days: number;
}
interface Loan { loanId: string; borrowerId: string; status: string; currency: string; creditAssessment: { grade: string }; schedule: { number: number; dueOn: string; status: string; outstanding: { total: string } }[]; balances: { on: string; fallenDue: { total: string }; payoffAmount: string } }
interface TimelineEntry { revision: number; type: string; recordedAt: string; actor: string | null; data: Record<string, unknown> }
interface OverduePoint { businessDate: string; daysPastDue: number; bucket: string }
let selectedLoan: string | null = null;
let refreshes = 0;
let live: AbortController | undefined;
/** The portfolio's currencies: the queue's amounts carry none, so they are shown in the only one when there is one. */
let currencies: string[] = [];

const closeOfBusiness = (date: string | null) => (date ? `as of close of business ${date}` : 'no close of business yet');
const basis = (text: string, kind: 'live' | 'close') => el('span', { class: `basis basis-${kind}` }, text);

async function refresh(): Promise<void> {
  const [summary, history, grades, queue] = await Promise.all([
    getJson<Summary>('/overdue/summary'),
    getJson<History>('/dashboard/portfolio-history'),
    getJson<Grade[]>('/dashboard/grades'),
    getJson<{ items: QueueItem[]; asOf: string | null }>('/collections/queue?limit=25'),
  ]);
  const rollRates = await getJson<RollRates>('/dashboard/roll-rates').catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 409) return null; // nothing closed yet
    throw error;
  });
  currencies = summary.currencies.map((c) => c.currency);
  renderSummary(summary, history);
  renderHistory(history);
  renderRollRates(rollRates);
  renderGrades(grades, summary.asOf);
  renderQueue(queue.items);
  await refreshAssessmentPanel(summary.asOf);
  if (selectedLoan) await showLoan(selectedLoan);
  refreshes += 1;
  const stamp = document.getElementById('updated-at');
  if (stamp) {
    stamp.textContent = `Last close of business ${summary.asOf ?? '—'} · updated ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
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
      el(
        'dl',
        { class: 'figures', 'data-testid': `total-${currency}-live` },
        el('dt', { class: 'figures-basis' }, basis('live', 'live')),
        el('dd', { class: 'figures-basis' }),
        el('dt', {}, 'Loans on the books'),
        el('dd', { 'data-testid': `total-${currency}-loans` }, num(byBucket.reduce((n, s) => n + s.loans, 0))),
        el('dt', {}, 'Outstanding principal'),
        el('dd', { 'data-testid': `total-${currency}-principal` }, money(sumMinor(byBucket.map((s) => s.outstandingPrincipal), currency), currency)),
      ),
      latest &&
        el(
          'dl',
          { class: 'figures', 'data-testid': `total-${currency}-ratios` },
          el('dt', { class: 'figures-basis' }, basis(closeOfBusiness(latest.businessDate), 'close')),
          el('dd', { class: 'figures-basis' }),
          el('dt', {}, 'Overdue ratio'),
          el('dd', {}, pct(latest.overdueRatio)),
          el('dt', {}, 'DPD > 30 ratio'),
          el('dd', {}, pct(latest.overdueRatioDpdOver30)),
          el('dt', {}, 'DPD > 90 ratio'),
          el('dd', {}, pct(latest.overdueRatioDpdOver90)),
          el('dt', {}, 'NPL ratio'),
          el('dd', {}, pct(latest.nplRatio)),
          el('dt', {}, 'Outstanding principal'),
          el('dd', {}, amount(latest.outstandingPrincipal, currency)),
        ),
    );
  });
  replaceContent('totals', ...(totals.length > 0 ? totals : ['No loans on the books yet.']));
  const slices = (kind: 'bucket' | 'class', currency: string, rows: Slice[]) =>
    table(
      [kind === 'bucket' ? 'Bucket' : 'Class', 'Loans', 'Outstanding principal'],
      rows.map((s) => [
        s.key,
        cell(num(s.loans), { 'data-testid': `${kind}-${currency}-${s.key}-loans`, 'data-value': String(s.loans) }),
        cell(amount(s.outstandingPrincipal, currency), { 'data-testid': `${kind}-${currency}-${s.key}-principal`, 'data-value': s.outstandingPrincipal }),
      ]),
    );
  const note = el('p', { class: 'note' }, basis('Live balances', 'live'), ` · bucket and class by days past due ${closeOfBusiness(summary.asOf)}`);
  replaceContent('by-bucket', note, ...summary.currencies.flatMap(({ currency, byBucket }) => [el('h3', {}, currency), slices('bucket', currency, byBucket)]));
  replaceContent('by-class', note.cloneNode(true), ...summary.currencies.flatMap(({ currency, byClassification }) => [el('h3', {}, currency), slices('class', currency, byClassification)]));
}

function renderHistory(history: History): void {
  replaceContent(
    'ratios',
    ...history.currencies.flatMap(({ currency, points }) => [
      el('h3', {}, `${currency} · ${points.length} closes of business, ${points[0]?.businessDate ?? '—'} to ${points.at(-1)?.businessDate ?? '—'}`),
      el('p', { class: 'note' }, 'Shares of outstanding principal at each close of business. Point at the chart for the figures of a day.'),
      lineChart(
        points.map((p) => p.businessDate),
        [
          { name: 'Overdue', values: points.map((p) => Number(p.overdueRatio)), colour: '#1f5fa8' },
          { name: 'DPD > 30', values: points.map((p) => Number(p.overdueRatioDpdOver30)), colour: '#e07b00' },
          // NPL is wide and pale underneath; DPD > 90 is a dashed line on top, so one never hides the other.
          { name: 'NPL', values: points.map((p) => Number(p.nplRatio)), colour: 'rgba(46, 160, 67, 0.45)', width: 6 },
          { name: 'DPD > 90', values: points.map((p) => Number(p.overdueRatioDpdOver90)), colour: '#c62828', dash: [6, 4] },
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
    el('p', { class: 'note' }, basis(closeOfBusiness(rollRates.asOf), 'close'), ' · share of the loans in each bucket at the previous month end, by where they are now; hover for loans and principal'),
    ...rollRates.currencies.flatMap(({ currency, rollRates: rows }) => {
      const destinations = rows[0]?.to.map((t) => t.to) ?? [];
      const matrix = table(
        ['from \\ to', ...destinations],
        rows.map((row) => {
          const total = row.to.reduce((n, t) => n + t.loans, 0);
          return [
            cell(`${row.from} (${num(total)})`, { title: `${num(total)} loans in ${row.from} at the previous month end`, 'data-label': 'From (loans)' }),
            ...row.to.map((t) =>
              cell(total === 0 ? '—' : pct(t.loans / total), {
                class: t.loans > 0 ? (t.to === row.from ? 'stayed' : 'nonzero') : 'zero',
                title: `${num(t.loans)} of ${num(total)} loans, ${amount(t.principal, currency)} principal`,
                'data-loans': String(t.loans),
                'data-label': `to ${t.to}`,
              }),
            ),
          ];
        }),
        { class: 'roll-rates' },
      );
      // Narrow screens stack the matrix and leave out buckets that held no loans.
      rows.forEach((row, i) => row.to.every((t) => t.loans === 0) && matrix.tBodies[0]!.rows[i]!.classList.add('empty'));
      return [el('h3', {}, currency), matrix];
    }),
  );
}

function renderGrades(grades: Grade[], asOf: string | null): void {
  replaceContent(
    'grades',
    el('p', { class: 'note' }, basis('Disbursed and on books: live', 'live'), ` · overdue now: ${closeOfBusiness(asOf)}`),
    table(
      ['Grade', 'Disbursed', 'Ever 30+ DPD', 'Ever 30+ rate', 'On books', 'Overdue now', 'Overdue rate'],
      grades.map((g) => [g.grade, num(g.disbursed), num(g.everThirtyDaysPastDue), pct(g.everThirtyDaysPastDueRate), num(g.onBooks), num(g.overdueNow), cell(pct(g.overdueRate), { 'data-testid': `grade-${g.grade}-overdue-rate` })]),
    ),
  );
}

/** The queue's amounts carry no currency: in the portfolio's only one when there is one, else as a plain number. */
function queueAmount(value: string): string {
  if (currencies.length === 1) return amount(value, currencies[0]!);
  const decimals = value.split('.')[1]?.length ?? 0;
  return new Intl.NumberFormat(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value as unknown as number);
}

function renderQueue(items: QueueItem[]): void {
  replaceContent(
    'queue',
    items.length === 0
      ? 'Nobody to call.'
      : el(
          'div',
          {},
          el('p', { class: 'note' }, basis('live', 'live'), ' · times at the UTC offset the engine judged them in (the borrower\'s zone when it knows it), to the minute'),
          table(
            ['Loan', 'Borrower', 'DPD', 'Bucket', 'Amount due', 'Last contact', 'Open promise', 'Contacts, 7 days', 'Next allowed call'],
            items.map((item) => {
              const open = el('button', { type: 'button', class: 'link' }, item.loanId);
              open.addEventListener('click', () => void showLoan(item.loanId));
              return [
                cell(open),
                item.borrowerId,
                num(item.daysPastDue),
                item.bucket,
                queueAmount(item.amountDue),
                item.lastContact ? `${instantAtItsOffset(item.lastContact.at)} · ${item.lastContact.channel}, ${item.lastContact.outcome}` : 'none',
                item.openPromise ? `${queueAmount(item.openPromise.amount)} by ${item.openPromise.dueOn}` : item.brokenPromise ? cell('broken', { class: 'broken' }) : '—',
                num(item.contactsLast7Days),
                item.nextAllowedContactAt ? instantAtItsOffset(item.nextAllowedContactAt) : 'only the borrower can lift a rule',
              ];
            }),
            { class: 'queue', 'data-testid': 'queue-table' },
          ),
        ),
  );
}

/** The day an event took effect on (its business date), not the day it was recorded. */
function effectiveOn(entry: TimelineEntry): string {
  const d = entry.data;
  for (const key of ['receivedOn', 'disbursedOn', 'originatedOn', 'missedOn', 'reachedOn', 'effectiveOn', 'waivedOn', 'writtenOffOn', 'paidOffOn', 'reopenedOn', 'reversedOn', 'refundedOn', 'cancelledOn', 'to']) {
    const value = d[key];
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  }
  const other = Object.entries(d).find(([key, value]) => key.endsWith('On') && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value));
  return other ? (other[1] as string) : dateOf(entry.recordedAt);
}

/** The event's amount in minor units, when it moves one. */
function amountOf(entry: TimelineEntry): bigint | null {
  const d = entry.data;
  const minor = (key: string) => (typeof d[key] === 'number' ? BigInt(d[key] as number) : 0n);
  if (entry.type === 'LoanWrittenOff') return minor('principal') + minor('interest') + minor('penalty');
  if (entry.type === 'InstalmentMissed') return minor('principalOutstanding') + minor('interestOutstanding');
  if (entry.type === 'LoanOriginated') return minor('principal');
  return typeof d['amount'] === 'number' ? BigInt(d['amount']) : null;
}

function detailOf(entry: TimelineEntry): string {
  const d = entry.data;
  switch (entry.type) {
    case 'PaymentReceived':
      return `${String(d['channel'] ?? '')} ${String(d['reference'] ?? '')}${d['recovery'] ? ' · recovery' : ''}`.trim();
    case 'InstalmentMissed':
      return `instalment ${String(d['number'])} due ${String(d['dueOn'])}`;
    case 'DelinquencyThresholdReached':
      return `${String(d['threshold'])} days past due`;
    case 'LoanRestructured':
      return `${String(d['reason'])}, ${String(d['termMonths'])} months`;
    case 'PaymentReversed':
    case 'LoanWrittenOff':
    case 'PenaltyWaived':
    case 'PenaltyWaiverReversed':
    case 'LoanOriginationCancelled':
      return String(d['reason'] ?? '');
    default:
      return '';
  }
}

interface TimelineRow { day: string; revision: number; event: Node | string; amount: bigint | null; detail: Node | string; recorded: string }

/** A loan's events by the day they took effect, with amounts; penalty accruals summed per month, each month's accruals behind <details>. */
function timelineTable(entries: readonly TimelineEntry[], currency: string): HTMLTableElement {
  const rows: TimelineRow[] = [];
  const penalties = new Map<string, TimelineEntry[]>();
  for (const entry of entries) {
    if (entry.type === 'PenaltyAccrued') {
      const month = effectiveOn(entry).slice(0, 7);
      penalties.set(month, [...(penalties.get(month) ?? []), entry]);
      continue;
    }
    const by = entry.actor ? ` · ${entry.actor}` : '';
    rows.push({ day: effectiveOn(entry), revision: entry.revision, event: entry.type, amount: amountOf(entry), detail: detailOf(entry), recorded: `${instantAtItsOffset(entry.recordedAt)}${by}` });
  }
  for (const [month, accruals] of penalties) {
    const last = accruals.at(-1)!;
    const total = accruals.reduce((sum, e) => sum + (amountOf(e) ?? 0n), 0n);
    const list = el(
      'details',
      {},
      el('summary', {}, `${accruals.length} accruals, ${String(accruals[0]!.data['from'])} to ${String(last.data['to'])}`),
      el('ul', { class: 'accruals' }, ...accruals.map((e) => el('li', {}, `${String(e.data['from'])} – ${String(e.data['to'])}: ${money(amountOf(e) ?? 0n, currency)}`))),
    );
    rows.push({ day: effectiveOn(last), revision: last.revision, event: `PenaltyAccrued, ${month}`, amount: total, detail: list, recorded: `${instantAtItsOffset(last.recordedAt)} (last)` });
  }
  rows.sort((a, b) => a.day.localeCompare(b.day) || a.revision - b.revision);
  const head = ['Effective', 'Event', 'Amount', 'Details', 'Recorded'];
  const days = new Map<string, TimelineRow[]>();
  for (const row of rows) days.set(row.day, [...(days.get(row.day) ?? []), row]);
  const td = (column: number, content: Node | string, attributes: Record<string, string> = {}) => el('td', { 'data-label': head[column]!, ...attributes }, content);
  return el(
    'table',
    { class: 'stack timeline', 'data-testid': 'loan-events' },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    ...[...days].map(([day, dayRows]) =>
      el(
        'tbody',
        { class: 'day' },
        ...dayRows.map((row, i) =>
          el(
            'tr',
            {},
            td(0, i === 0 ? day : '', { class: i === 0 ? 'day-start' : 'day-more' }),
            td(1, row.event),
            td(2, row.amount === null ? '' : money(row.amount, currency)),
            td(3, row.detail),
            td(4, row.recorded),
          ),
        ),
      ),
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
    const c = loan.currency;
    replaceContent(
      'loan',
      el('h3', { 'data-testid': 'loan-heading' }, `${loan.loanId} · ${loan.borrowerId} · grade ${loan.creditAssessment.grade} · ${loan.status}`),
      el('p', { class: 'note' }, basis(`live, on ${loan.balances.on}`, 'live'), ` · fallen due ${amount(loan.balances.fallenDue.total, c)} · settles it ${amount(loan.balances.payoffAmount, c)}`),
      el('h4', {}, 'Schedule'),
      table(['#', 'Due on', 'Status', 'Outstanding'], loan.schedule.map((line) => [line.number, line.dueOn, line.status, amount(line.outstanding.total, c)]), { 'data-testid': 'loan-schedule' }),
      el('h4', {}, 'Days past due at each close of business'),
      overdue.length > 0
        ? lineChart(overdue.map((p) => p.businessDate), [{ name: 'Days past due', values: overdue.map((p) => p.daysPastDue), colour: '#c62828' }], `Days past due of ${loan.loanId}`, 'days', 200)
        : el('p', {}, 'No close of business since disbursement.'),
      el('h4', {}, `Events by the day they took effect (${timeline.length} events)`),
      timelineTable(timeline, c),
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
