import { ApiError, getJson } from './api.js';
import { cell, el, percent, replaceContent, table } from './elements.js';

/** The panel "Does the credit assessment predict who falls behind?": GET /reports/assessment-performance, read again only after a new close of business. */

interface Cohort {
  source: string;
  loans: number;
  bad: number;
  badRate: string | null;
  byGrade: { grade: string; loans: number; bad: number; badRate: string | null }[];
  scoreBands: { band: number; scoreAbove: number | null; scoreUpTo: number; loans: number; bad: number; badRate: string | null }[];
  discrimination: { auc: string | null; gini: string | null; ks: string | null; ksAtScore: number | null; reason: string | null };
  stability: { baseline: { from: string; to: string; loans: number } | null; recent: { from: string; to: string; loans: number }; psi: string | null; reading: string | null; reason: string | null };
  vintages: { originatedIn: string; loans: number; bad: number; badRate: string | null; auc: string | null; ks: string | null; reason: string | null }[];
}
interface Report { asOf: string; definition: { bad: string; scoreDirection: string }; overall: Cohort; sources: Cohort[] }

let shown: string | undefined;

const rate = (value: string | null) => (value === null ? '—' : percent(value));
const figure = (value: string | null) => value ?? '—';

/** Reads the report when the last close of business or the chosen outcome and window changed since it was shown. */
export async function refreshAssessmentPanel(lastClosedOn: string | null): Promise<void> {
  const outcome = (document.getElementById('assessment-outcome') as HTMLSelectElement | null)?.value ?? 'dpd30';
  const window = (document.getElementById('assessment-window') as HTMLSelectElement | null)?.value ?? '6';
  const key = `${lastClosedOn}|${outcome}|${window}`;
  if (key === shown) return;
  shown = key;
  if (lastClosedOn === null) return replaceContent('assessment', 'No close of business yet.');
  const report = await getJson<Report>(`/reports/assessment-performance?outcome=${outcome}&window=${window}`).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 409) return null;
    throw error;
  });
  if (!report) return replaceContent('assessment', 'No close of business yet.');
  const cohorts = report.sources.length > 1 ? [report.overall, ...report.sources] : [report.overall];
  replaceContent(
    'assessment',
    el('p', {}, `As of ${report.asOf}. Bad: ${report.definition.bad}; ${report.definition.scoreDirection}.`),
    ...cohorts.flatMap((cohort) => cohortView(cohort, report.sources.length > 1)),
  );
}

function cohortView(c: Cohort, named: boolean): Node[] {
  const id = c.source === '*' ? 'all' : c.source;
  const d = c.discrimination;
  const s = c.stability;
  return [
    named ? el('h3', {}, c.source === '*' ? 'Every source' : c.source) : el('span'),
    el(
      'p',
      { 'data-testid': `assessment-${id}-summary` },
      `${c.loans} loans judged, ${c.bad} bad (${rate(c.badRate)}). `,
      d.reason === null ? `AUC ${d.auc} · Gini ${d.gini} · KS ${d.ks} at score ${d.ksAtScore}.` : `AUC, Gini and KS undefined: ${d.reason}.`,
      ' PSI, last three months against the baseline: ',
      s.psi === null ? `undefined: ${s.reason}.` : el('strong', { class: `reading-${s.reading}`, 'data-testid': `assessment-${id}-psi` }, `${s.psi} (${s.reading})`),
    ),
    el(
      'div',
      { class: 'columns' },
      el('div', {}, el('h4', {}, 'Bad rate by grade'), table(['Grade', 'Loans', 'Bad', 'Bad rate'], c.byGrade.map((g) => [g.grade, g.loans, g.bad, cell(rate(g.badRate), { 'data-testid': `assessment-${id}-grade-${g.grade}` })]))),
      el(
        'div',
        {},
        el('h4', {}, 'Bad rate by score band (deciles)'),
        table(['Band', 'Scores', 'Loans', 'Bad', 'Bad rate'], c.scoreBands.map((b) => [b.band, `${b.scoreAbove === null ? '≤' : `${b.scoreAbove} < … ≤`} ${b.scoreUpTo}`, b.loans, b.bad, rate(b.badRate)])),
      ),
      el(
        'div',
        {},
        el('h4', {}, 'By origination month'),
        table(['Originated', 'Loans', 'Bad rate', 'AUC', 'KS'], c.vintages.map((v) => [v.originatedIn, v.loans, rate(v.badRate), v.auc === null ? cell('—', { title: v.reason ?? '' }) : v.auc, figure(v.ks)])),
      ),
    ),
  ];
}
